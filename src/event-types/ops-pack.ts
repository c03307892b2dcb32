/**
 * The ops pack: alerts, deployments and metric thresholds for platform teams. Alerts carry their own
 * severity (the event's severity wins over the default), runbook and dashboard links; deployment
 * pings that are only interesting while they happen expire.
 */
import type { EventTypeDefinition } from './event-type-definition.ts';
import { actions, card, context, field, fieldsSection, header, linkButton, opt, reply, replyText, section } from './template-parts.ts';
import { dataSchema, link, number, slackUser, text, time } from './data-schema-parts.ts';

/** The fields ops events carry; each type requires the ones its message cannot do without. */
const alertFields = {
  alert_id: text("The alert's id in your monitoring"),
  title: text('What is wrong, in one line'),
  service: text('The affected service'),
  environment: text('Where (e.g. production)'),
  description: text('More about the alert'),
  started_at: time('When the problem began'),
  runbook_url: link('The runbook (a button)'),
  dashboard_url: link('A dashboard (a button)'),
};
const resolvedFields = {
  ...alertFields,
  duration: text('How long it lasted (e.g. 23 minutes)'),
  resolved_by: text('Who or what resolved it'),
  resolution: text('What fixed it'),
};
const deployDataFields = {
  service: text('The service deployed'),
  environment: text('Where it is deployed (e.g. production)'),
  version: text('The version deployed'),
  commit: text('The commit deployed (its SHA; the first 7 characters are shown)'),
  commit_url: link('The commit (the SHA links to it)'),
  who: text('Who deployed'),
  user_id: slackUser("The deployer's"),
  url: link('The pipeline (a button)'),
  duration: text('How long it took'),
  error: text('What went wrong'),
  logs_url: link('The logs (a button)'),
};

const HOUR = 3_600;
const DAY = 86_400;

// Short SHA as the label of a link to the commit when there is a URL, plain code otherwise.
const commit =
  '{% assign sha = data.commit | truncate: 7, "" %}{% if data.commit_url %}{{ data.commit_url | mrkdwn_link: sha }}{% else %}`{{ sha }}`{% endif %}';
const deployFields = [
  field('Service', '{{ data.service }}', 'data.service'),
  field('Environment', '{{ data.environment }}', 'data.environment'),
  field('Version', '`{{ data.version }}`', 'data.version'),
  field('Commit', commit, 'data.commit'),
  field('By', '{% if data.user_id %}{{ data.user_id | user_mention }}{% else %}{{ data.who }}{% endif %}', 'data.who'),
];
const deploySample = {
  service: 'checkout-api',
  environment: 'production',
  version: 'v2.14.0',
  commit: '9f3c2ab71d04e5b8c6a1f2e3d4c5b6a7e8f90123',
  commit_url: 'https://git.example.com/shop/checkout-api/commit/9f3c2ab71d04e5b8c6a1f2e3d4c5b6a7e8f90123',
  who: 'Carol Oncall',
  user_id: 'U00000003',
  url: 'https://ci.example.com/pipelines/48213',
};
/** "*checkout-api* `v2.14.0` to *production*", leaving out what is missing. */
const deployed = `${opt('data.service', ' *', '*')}${opt('data.version', ' `', '`')}`;
const toEnvironment = (word: string) => opt('data.environment', ` ${word} *`, '*');
const alertFooter = context(`${opt('data.alert_id', 'Alert `', '` · ')}${opt('data.service', '', ' · ')}{{ project.name }}`);
/** "✅ Resolved by Carol Oncall after 23 minutes": the reply under the alert. */
const resolvedLine = `✅ Resolved${opt('data.resolved_by', ' by ')}${opt('data.duration', ' after ')}`;
const resolvedFieldsList = [
  field('Service', '{{ data.service }}', 'data.service'),
  field('Environment', '{{ data.environment }}', 'data.environment'),
  field('Duration', '{{ data.duration }}', 'data.duration'),
  field('Resolved by', '{{ data.resolved_by }}', 'data.resolved_by'),
];

const logsLink = `{% if data.logs_url %} · {{ data.logs_url | mrkdwn_link: "logs" }}{% endif %}`;

const alertSample = {
  alert_id: 'ALR-7731',
  title: 'Error rate above 5% on checkout-api',
  service: 'checkout-api',
  environment: 'production',
  description: 'HTTP 5xx responses reached 7.2% of requests over the last 5 minutes.',
  started_at: '2026-01-06T09:12:00Z',
  runbook_url: 'https://runbooks.example.com/checkout-api/high-error-rate',
  dashboard_url: 'https://grafana.example.com/d/checkout/overview',
};

export const OPS_EVENT_TYPES: readonly EventTypeDefinition[] = [
  {
    name: 'alert.triggered',
    pack: 'ops',
    description: "A monitoring alert fired. Send the alert's own severity with the event; high is the default.",
    dataSchema: dataSchema(alertFields, ['service', 'title']),
    defaultSeverity: 'high',
    ttlSeconds: null,
    template: {
      text: `{{ event.severity | severity_emoji }} [{{ event.severity | upcase }}]${opt('data.service', ' ', ':')}${opt('data.title', ' ')}`,
      blocks: [
        header('{{ event.severity | severity_emoji }} {{ data.title | default: "Alert" }}'),
        section('{{ data.description }}'),
        fieldsSection([
          field('Service', '{{ data.service }}', 'data.service'),
          field('Severity', '{{ event.severity | upcase }}'),
          field('Environment', '{{ data.environment }}', 'data.environment'),
          field('Started', '{{ data.started_at | slack_date }}', 'data.started_at'),
        ]),
        actions(linkButton('📖 Runbook', 'data.runbook_url', 'primary'), linkButton('📊 Dashboard', 'data.dashboard_url')),
        alertFooter,
      ],
    },
    sampleData: alertSample,
  },
  {
    name: 'alert.resolved',
    pack: 'ops',
    description: 'A monitoring alert cleared.',
    dataSchema: dataSchema(resolvedFields, []),
    defaultSeverity: 'info',
    ttlSeconds: null,
    template: {
      text: replyText(
        resolvedLine,
        `✅ Resolved${opt('data.service', ': ')}${opt('data.title', ': ')}`,
      ),
      blocks: [
        reply(resolvedLine),
        ...card(
          header('✅ Resolved{% if data.title %}: {{ data.title }}{% endif %}'),
          section('{% if data.resolution %}{{ data.resolution }}{% else %}The alert condition cleared.{% endif %}'),
          fieldsSection(resolvedFieldsList),
          actions(linkButton('📊 Dashboard', 'data.dashboard_url')),
          alertFooter,
        ),
      ],
    },
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: {
        text: `✅ Resolved${opt('data.title', ': ')}`,
        blocks: [
          header('✅ Resolved{% if data.title %}: {{ data.title }}{% endif %}'),
          section('{% if data.resolution %}{{ data.resolution }}{% else %}The alert condition cleared.{% endif %}'),
          fieldsSection(resolvedFieldsList),
          alertFooter,
        ],
      },
    },
    sampleData: { ...alertSample, duration: '23 minutes', resolved_by: 'Carol Oncall', resolution: 'Error rate back under 0.5% after a rollback to v2.13.4.' },
  },
  {
    name: 'deployment.started',
    pack: 'ops',
    description: 'A deployment began. Only useful while it runs, so it expires after an hour.',
    dataSchema: dataSchema(deployDataFields, ['service', 'version', 'environment']),
    defaultSeverity: 'info',
    ttlSeconds: HOUR,
    template: {
      text: `🚀 {{ data.who | default: "Someone" }} is deploying${opt('data.service', ' ')}${opt('data.version', ' ')}${opt('data.environment', ' to ')}`,
      blocks: [
        section(`🚀 Deploying${deployed}${toEnvironment('to')}`, deployFields),
        actions(linkButton('View pipeline', 'data.url')),
      ],
    },
    sampleData: deploySample,
  },
  {
    name: 'deployment.succeeded',
    pack: 'ops',
    description: 'A deployment finished successfully.',
    dataSchema: dataSchema(deployDataFields, []),
    defaultSeverity: 'info',
    ttlSeconds: DAY,
    template: {
      text: replyText(
        `✅ Live${opt('data.environment', ' in ')}${opt('data.duration', ' (took ', ')')}`,
        `✅{% if data.service or data.version %}${opt('data.service', ' ')}${opt('data.version', ' ')} is live{% else %} Deployed{% endif %}${opt('data.environment', ' in ')}`,
      ),
      blocks: [
        reply(`✅ Live${toEnvironment('in')}${opt('data.duration', ' (took ', ')')}`),
        ...card(
          section(`✅{% if data.service or data.version %}${deployed} is live{% else %} Deployed{% endif %}${toEnvironment('in')}${opt('data.duration', ' (took ', ')')}`, deployFields),
          actions(linkButton('View pipeline', 'data.url')),
        ),
      ],
    },
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: {
        text: `✅ Deployed${opt('data.service', ' ')}${opt('data.version', ' ')}${opt('data.environment', ' to ')}`,
        blocks: [section(`✅ Deployed${deployed}${toEnvironment('to')}${opt('data.duration', ' (took ', ')')}`, deployFields)],
      },
    },
    sampleData: { ...deploySample, duration: '4m 12s' },
  },
  {
    name: 'deployment.failed',
    pack: 'ops',
    description: 'A deployment failed; someone should look at the logs.',
    dataSchema: dataSchema(deployDataFields, []),
    defaultSeverity: 'high',
    ttlSeconds: null,
    template: {
      text: replyText(
        `❌ Failed${opt('data.error', ': ')}`,
        `❌ Deployment${opt('data.service', ' of ')}${opt('data.version', ' ')}${opt('data.environment', ' to ')} failed${opt('data.error', ': ')}`,
      ),
      blocks: [
        reply(`❌ Failed${opt('data.error', ': ')}${logsLink}`),
        ...card(
          header(`❌ Deployment failed${opt('data.service', ': ')}${opt('data.version', ' ')}`),
          section('{% if data.error %}```{{ data.error }}```{% else %}The deployment did not complete.{% endif %}', deployFields),
          actions(linkButton('View logs', 'data.logs_url', 'danger'), linkButton('View pipeline', 'data.url')),
        ),
      ],
    },
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: {
        text: `❌ Failed to deploy${opt('data.service', ' ')}${opt('data.version', ' ')}${opt('data.environment', ' to ')}`,
        blocks: [
          section(`❌ Failed to deploy${deployed}${toEnvironment('to')}`, deployFields),
        ],
      },
    },
    sampleData: {
      ...deploySample,
      error: 'Health check failed: GET /healthz returned 503 for 3 minutes',
      logs_url: 'https://ci.example.com/pipelines/48213/logs',
    },
  },
  {
    name: 'metric.threshold_breached',
    pack: 'ops',
    description: 'A metric crossed its threshold. Stale after an hour, so it expires.',
    dataSchema: dataSchema(
      {
        metric: text('The metric (e.g. p95 latency)'),
        value: number('Its value now'),
        threshold: number('The threshold it crossed'),
        unit: text('Unit written after the numbers, with its space (e.g. " ms")'),
        service: text('The service measured'),
        window: text('Over what period (e.g. last 10 minutes)'),
        dashboard_url: link('A dashboard (a button)'),
      },
      ['metric', 'value', 'threshold'],
    ),
    defaultSeverity: 'medium',
    ttlSeconds: HOUR,
    template: {
      text: `📈 {{ data.metric | default: "A metric" }}{% if data.value %} is {{ data.value }}{{ data.unit }}{% endif %}{% if data.threshold %} (threshold {{ data.threshold }}{{ data.unit }}){% endif %}${opt('data.service', ' on ')}`,
      blocks: [
        section(`📈 {% if data.metric %}*{{ data.metric }}*{% else %}A metric{% endif %}{% if data.value %} is *{{ data.value }}{{ data.unit }}*{% endif %}{% if data.threshold %}, over its threshold of {{ data.threshold }}{{ data.unit }}{% else %} crossed its threshold{% endif %}`, [
          field('Service', '{{ data.service }}', 'data.service'),
          field('Window', '{{ data.window }}', 'data.window'),
        ]),
        actions(linkButton('📊 Dashboard', 'data.dashboard_url')),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: {
      metric: 'p95 latency',
      value: 840,
      unit: ' ms',
      threshold: 500,
      service: 'search-api',
      window: 'last 10 minutes',
      dashboard_url: 'https://grafana.example.com/d/search/latency',
    },
  },
];
