import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildManifest, manifestWarnings } from './build-manifest.ts';
import { FEATURE_NAMES, SLACK_FEATURES } from '../slack/slack-features.ts';

/**
 * The parts of Slack's app manifest schema the manifest uses, written from slack-platform.md §8:
 * field names, lengths and counts, and no unknown keys at any level ("additionalProperties:false").
 */
const strict = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', additionalProperties: false, properties, required });
const scopeList = { type: 'array', maxItems: 255, items: { type: 'string', maxLength: 50 } };
const MANIFEST_SCHEMA = strict(
  {
    _metadata: strict({ major_version: { type: 'integer' }, minor_version: { type: 'integer' } }),
    display_information: strict(
      {
        name: { type: 'string', minLength: 1, maxLength: 35 },
        description: { type: 'string', minLength: 1, maxLength: 140 },
        long_description: { type: 'string', minLength: 175, maxLength: 4000 },
        background_color: { type: 'string', minLength: 4, maxLength: 7, pattern: '^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$' },
      },
      ['name'],
    ),
    features: strict({
      app_home: strict({ home_tab_enabled: { type: 'boolean' }, messages_tab_enabled: { type: 'boolean' }, messages_tab_read_only_enabled: { type: 'boolean' } }),
      bot_user: strict({ display_name: { type: 'string', minLength: 1, maxLength: 80 }, always_online: { type: 'boolean' } }, ['display_name']),
    }),
    oauth_config: strict({
      redirect_urls: { type: 'array', uniqueItems: true, items: { type: 'string', maxLength: 2500 } },
      scopes: strict({ bot: scopeList, user: scopeList, bot_optional: scopeList, user_optional: scopeList }),
      token_management_enabled: { type: 'boolean' },
      pkce_enabled: { type: 'boolean' },
    }),
    settings: strict({
      incoming_webhooks: strict({ incoming_webhooks_enabled: { type: 'boolean' } }),
      org_deploy_enabled: { type: 'boolean' },
      socket_mode_enabled: { type: 'boolean' },
      token_rotation_enabled: { type: 'boolean' },
      is_hosted: { type: 'boolean' },
    }),
  },
  ['display_information'],
);
const validate = new Ajv({ allErrors: true }).compile(MANIFEST_SCHEMA);

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((all, item) => [...all, ...all.map((s) => [...s, item])], [[]]);
}

const PUBLIC_URL = 'https://switchboard.example.com';

describe('buildManifest', () => {
  it('has a valid shape for every combination of features', () => {
    for (const features of subsets(FEATURE_NAMES)) {
      const manifest = buildManifest({ publicUrl: PUBLIC_URL, features });
      expect(validate(manifest), `${features.join(',')}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('asks for chat:write alone by default', () => {
    const manifest = buildManifest({ publicUrl: PUBLIC_URL, features: [] });
    expect(manifest.oauth_config.scopes.bot).toEqual(['chat:write']);
    expect(manifest.features.app_home).toBeUndefined();
    expect(manifest.settings.incoming_webhooks).toBeUndefined();
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });

  it('adds exactly the scopes of each enabled feature, each once', () => {
    for (const feature of FEATURE_NAMES) {
      expect(buildManifest({ publicUrl: PUBLIC_URL, features: [feature] }).oauth_config.scopes.bot, feature).toEqual(['chat:write', ...SLACK_FEATURES[feature]]);
    }
    const all = buildManifest({ publicUrl: PUBLIC_URL, features: [...FEATURE_NAMES] }).oauth_config.scopes.bot;
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(
      ['chat:write', 'chat:write.public', 'channels:read', 'groups:read', 'channels:join', 'im:write', 'users:read.email', 'incoming-webhook'].sort(),
    );
  });

  it('turns on the Messages tab for DMs and incoming webhooks for the webhook feature', () => {
    const dm = buildManifest({ publicUrl: PUBLIC_URL, features: ['dm'] });
    expect(dm.features.app_home).toEqual({ home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true });
    const hooks = buildManifest({ publicUrl: PUBLIC_URL, features: ['webhooks'] });
    expect(hooks.settings.incoming_webhooks).toEqual({ incoming_webhooks_enabled: true });
  });

  it('names our OAuth callback as the redirect URL', () => {
    expect(buildManifest({ publicUrl: `${PUBLIC_URL}/`, features: [] }).oauth_config.redirect_urls).toEqual([`${PUBLIC_URL}/oauth/callback`]);
  });

  it('refuses a name Slack would refuse, and turns on rotation only when asked', () => {
    expect(() => buildManifest({ publicUrl: PUBLIC_URL, features: [], appName: 'x'.repeat(36) })).toThrow(/1 to 35 characters/);
    expect(() => buildManifest({ publicUrl: PUBLIC_URL, features: [], appName: '  ' })).toThrow(/1 to 35 characters/);
    const named = buildManifest({ publicUrl: PUBLIC_URL, features: [], appName: 'Acme Alerts', tokenRotation: true });
    expect(named.display_information.name).toBe('Acme Alerts');
    expect(named.features.bot_user.display_name).toBe('Acme Alerts');
    expect(named.settings.token_rotation_enabled).toBe(true);
  });

  it('warns when the redirect URL is not HTTPS', () => {
    expect(manifestWarnings(buildManifest({ publicUrl: 'http://127.0.0.1:3000', features: [] }))[0]).toContain('HTTPS');
    expect(manifestWarnings(buildManifest({ publicUrl: PUBLIC_URL, features: [] }))).toEqual([]);
  });

  it('is refused by the schema when it carries a key Slack does not know', () => {
    const manifest = { ...buildManifest({ publicUrl: PUBLIC_URL, features: [] }), settings: { socket_mode: true } };
    expect(validate(manifest)).toBe(false);
  });
});
