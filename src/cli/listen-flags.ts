/**
 * `--port` and `--host` for the commands that run the gateway: they override SWITCHBOARD_PORT and
 * SWITCHBOARD_HOST (and so the default public URL), checked like the variables they replace.
 */
import { ConfigError } from '../errors.ts';

export interface ListenFlags {
  port?: string;
  host?: string;
}

export const PORT_OPTION = ['--port <port>', 'port to listen on (overrides SWITCHBOARD_PORT)'] as const;
export const HOST_OPTION = ['--host <host>', 'interface to listen on (overrides SWITCHBOARD_HOST)'] as const;

/** The environment with the flags in place of the variables they override. */
export function envWithListenFlags(env: Record<string, string | undefined>, flags: ListenFlags): Record<string, string | undefined> {
  const out = { ...env };
  if (flags.port !== undefined) {
    if (!/^\d{1,5}$/.test(flags.port) || Number(flags.port) > 65535) throw new ConfigError('--port', 'an integer from 0 to 65535', flags.port);
    out.SWITCHBOARD_PORT = flags.port;
  }
  if (flags.host !== undefined) {
    if (!flags.host.trim()) throw new ConfigError('--host', 'an interface address such as 127.0.0.1 or 0.0.0.0', flags.host);
    out.SWITCHBOARD_HOST = flags.host.trim();
  }
  return out;
}
