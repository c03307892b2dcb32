/**
 * Times every message the Slack transports send (the delivery engine's and test messages) and
 * counts Slack's 429s, around the transport seam so neither transport knows about metrics.
 * Labels: the transport kind and, for the Web API, the method (a fixed list, `other` otherwise).
 */
import type { OutgoingMessage, SendReport, SendTarget, SlackTransport } from '../slack/slack-transport.ts';
import { SLACK_METHODS, type GatewayMetrics, type SlackMethod, type SlackTransportKind } from './gateway-metrics.ts';

export interface Transports {
  webhook: SlackTransport;
  webApi: SlackTransport;
}

export function instrumentTransports(transports: Transports, metrics: GatewayMetrics | undefined): Transports {
  if (!metrics) return transports;
  return { webhook: timed(transports.webhook, 'webhook', metrics), webApi: timed(transports.webApi, 'web_api', metrics) };
}

function methodOf(kind: SlackTransportKind, report: SendReport): SlackMethod {
  if (kind === 'webhook') return 'incoming_webhook';
  const method = report.request.method;
  return typeof method === 'string' && (SLACK_METHODS as readonly string[]).includes(method) ? (method as SlackMethod) : 'other';
}

function timed(transport: SlackTransport, kind: SlackTransportKind, metrics: GatewayMetrics): SlackTransport {
  return {
    async send(target: SendTarget, message: OutgoingMessage): Promise<SendReport> {
      const started = performance.now();
      const report = await transport.send(target, message);
      const rateLimited = report.outcome.kind === 'rate_limited' || report.httpStatus === 429;
      metrics.slackCall(kind, methodOf(kind, report), (performance.now() - started) / 1000, rateLimited);
      return report;
    },
  };
}
