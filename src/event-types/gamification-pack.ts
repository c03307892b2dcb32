/**
 * The gamification pack: a sales-gamification app announcing reward challenges, live progress,
 * results and personal achievements. Progress pings go stale fast (they expire after an hour);
 * winners and rewards are worth announcing whenever they arrive (they never expire).
 */
import type { EventTypeDefinition } from './event-type-definition.ts';
import { actions, card, context, field, fieldsSection, header, linkButton, opt, person, section } from './template-parts.ts';
import { dataSchema, integer, link, list, number, object, slackUser, text, time } from './data-schema-parts.ts';

/** The fields gamification events carry; each type requires the ones its message cannot do without. */
const challengeFields = {
  challenge: text('Name of the challenge (e.g. Meeting Sprint)'),
  goal: text('What participants must do to win'),
  reward: text('What the winner gets'),
  ends_at: time('When the challenge ends'),
  url: link('The challenge, results or reward in your app (a button)'),
  unit: text('What is counted, in the singular (e.g. meeting); pluralised as needed'),
};
const participantFields = {
  participant: text('Name of the participant'),
  participant_id: slackUser("The participant's"),
};

const HOUR = 3_600;
const DAY = 86_400;

const participant = person('data.participant_id', 'data.participant', 'Someone');
const footer = context(`🏅 ${opt('data.challenge', '', ' · ')}{{ project.name }}`);
/** "3 meetings": the unit only when the data names it. */
const counted = (path: string) => `{{ ${path} }}{% if data.unit %} {{ ${path} | plural: data.unit }}{% endif %}`;

const challenge = {
  challenge: 'Meeting Sprint',
  goal: 'Book 5 meetings this week',
  reward: '$100 gift card',
  ends_at: '2026-01-09T17:00:00Z',
  url: 'https://rewards.example.com/challenges/meeting-sprint',
};

export const GAMIFICATION_EVENT_TYPES: readonly EventTypeDefinition[] = [
  {
    name: 'challenge.live',
    pack: 'gamification',
    description: 'A new reward challenge started; tells the team the goal, the reward and the deadline.',
    dataSchema: dataSchema(challengeFields, ['challenge', 'goal']),
    defaultSeverity: 'info',
    ttlSeconds: DAY,
    template: {
      text: '🚀 New reward challenge is live!{% if data.goal %} {{ data.goal }}{% if data.reward %} to win {{ data.reward }}{% endif %}.{% endif %}',
      blocks: [
        header('🚀 New reward challenge is live!'),
        section(
          `${opt('data.challenge', '*', '*')}{% if data.challenge and data.goal %}\n{% endif %}{% if data.goal %}{{ data.goal }}{% if data.reward %} to win *{{ data.reward }}*{% endif %}.{% endif %}`,
        ),
        fieldsSection([field('Ends', '{{ data.ends_at | slack_date }}', 'data.ends_at')]),
        actions(linkButton('See the challenge', 'data.url', 'primary')),
        footer,
      ],
    },
    sampleData: { ...challenge },
  },
  {
    name: 'challenge.progress',
    pack: 'gamification',
    description: 'A participant moved forward in a challenge. Short-lived: a progress ping older than an hour is dropped.',
    dataSchema: dataSchema(
      { ...challengeFields, ...participantFields, current: number('How far the participant is (e.g. 3)'), target: number('How far they must get (e.g. 5)') },
      ['participant', 'current', 'target'],
    ),
    defaultSeverity: 'info',
    ttlSeconds: HOUR,
    template: {
      text: `⚡ {{ data.participant | default: "Someone" }} made progress{% if data.current and data.target %}: {{ data.current }}/${counted('data.target')}{% endif %}`,
      blocks: [
        section(
          `⚡ ${participant} {% if data.current and data.target %}just completed *{{ data.current }}/{{ data.target }}*{% if data.unit %} {{ data.target | plural: data.unit }}{% endif %}{% else %}made progress{% endif %}${opt('data.challenge', ' in *', '*')}`,
        ),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread' },
    sampleData: { ...challenge, participant: 'Alice', participant_id: 'U00000001', current: 3, target: 5, unit: 'meeting' },
  },
  {
    name: 'challenge.completed',
    pack: 'gamification',
    description: 'A challenge ended; posts the final standings.',
    dataSchema: dataSchema(
      {
        ...challengeFields,
        standings: list(
          object({ rank: integer('Place, from 1'), name: text('Name of the participant'), score: number('Their score, in units') }, ['rank', 'name', 'score']),
          'The final standings, best first',
        ),
      },
      ['challenge', 'standings'],
    ),
    defaultSeverity: 'info',
    ttlSeconds: null,
    template: {
      text: '🏁 {{ data.challenge | default: "The challenge" }} is over!{% if data.standings %} {{ data.standings | size }} {{ data.standings | plural: "participant" }} took part.{% endif %}',
      blocks: [
        ...card(header('🏁 {{ data.challenge | default: "The challenge" }} is over!')),
        {
          $if: 'data.standings',
          then: section(`Final standings${opt('data.goal', ' for *', '*')}:`, [
            { $each: 'data.standings', as: 'entry', template: { type: 'mrkdwn', text: `*{{ entry.rank }}. {{ entry.name }}*\n${counted('entry.score')}` } },
          ]),
        },
        actions(linkButton('Full leaderboard', 'data.url')),
        ...card(footer),
      ],
    },
    // The announcement reads as over; the standings reply in its thread.
    subjectPolicy: {
      action: 'update_and_thread',
      updateTemplate: {
        text: '🏁 {{ data.challenge | default: "The challenge" }} is over',
        blocks: [
          header('🏁 {{ data.challenge | default: "The challenge" }} is over'),
          section(`{% if data.goal %}{{ data.goal }}{% if data.reward %} to win *{{ data.reward }}*{% endif %}. {% endif %}The final standings are in the thread.`),
          footer,
        ],
      },
    },
    sampleData: {
      ...challenge,
      unit: 'meeting',
      standings: [
        { rank: 1, name: 'Bob', score: 7 },
        { rank: 2, name: 'Alice', score: 5 },
        { rank: 3, name: 'Carol', score: 1 },
      ],
    },
  },
  {
    name: 'challenge.winner',
    pack: 'gamification',
    description: "Announces a challenge's winner. Never expires: a winner is always worth announcing.",
    dataSchema: dataSchema(
      {
        ...challengeFields,
        winner: text('Name of the winner'),
        winner_id: slackUser("The winner's"),
        period: text('The period the challenge covered (e.g. this week)'),
        score: number('The winning score, in units'),
      },
      ['winner'],
    ),
    defaultSeverity: 'info',
    ttlSeconds: null,
    template: {
      text: "🎉 Congrats to {{ data.winner | default: 'the winner' }} for winning {% if data.period %}{{ data.period }}'s{% else %}the{% endif %} challenge!",
      blocks: [
        header("🎉 Congrats to {{ data.winner | default: 'the winner' }} for winning {% if data.period %}{{ data.period }}'s{% else %}the{% endif %} challenge!"),
        section(
          `${person('data.winner_id', 'data.winner', 'The winner')} won {% if data.challenge %}*{{ data.challenge }}*{% else %}the challenge{% endif %}{% if data.score %} with ${counted('data.score')}{% endif %}.{% if data.reward %} Enjoy your {{ data.reward }}! 🎁{% endif %}`,
        ),
        actions(linkButton('See results', 'data.url')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread', replyBroadcast: true },
    sampleData: { ...challenge, winner: 'Bob', winner_id: 'U00000002', period: 'this week', score: 7, unit: 'meeting' },
  },
  {
    name: 'milestone.reached',
    pack: 'gamification',
    description: 'A participant reached a personal or team milestone.',
    dataSchema: dataSchema({ ...participantFields, milestone: text('The milestone reached (e.g. 100 meetings booked)'), detail: text('A line more about it') }, ['participant', 'milestone']),
    defaultSeverity: 'info',
    ttlSeconds: DAY,
    template: {
      text: `🏆 {{ data.participant | default: "Someone" }} reached a milestone${opt('data.milestone', ': ')}`,
      blocks: [
        section(`🏆 ${participant} reached a milestone${opt('data.milestone', ': *', '*')}{% if data.detail %}\n{{ data.detail }}{% endif %}`),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: { participant: 'Carol', participant_id: 'U00000003', milestone: '100 meetings booked', detail: 'Her first 100 since joining in March.' },
  },
  {
    name: 'streak.hit',
    pack: 'gamification',
    description: 'A participant kept up an activity several periods in a row.',
    dataSchema: dataSchema(
      {
        ...participantFields,
        streak: integer('How many periods in a row'),
        period: text('The period, in the singular (default: day)'),
        activity: text('What they kept doing'),
      },
      ['participant', 'streak'],
    ),
    defaultSeverity: 'info',
    ttlSeconds: DAY,
    template: {
      text: '🔥 {{ data.participant | default: "Someone" }} is on a {% if data.streak %}{{ data.streak }}-{{ data.period | default: "day" }} {% endif %}streak!',
      blocks: [
        section(
          `🔥 ${participant} is on a {% if data.streak %}*{{ data.streak }}-{{ data.period | default: "day" }} streak*{% else %}streak{% endif %}{% if data.activity %} of {{ data.activity }}{% endif %}! Keep it going.`,
        ),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: { participant: 'Bob', participant_id: 'U00000002', streak: 7, period: 'day', activity: 'booking at least one meeting' },
  },
  {
    name: 'reward.won',
    pack: 'gamification',
    description: 'A participant won a reward. Never expires.',
    dataSchema: dataSchema(
      { ...challengeFields, ...participantFields, claim_instructions: text('How to claim the reward') },
      ['participant', 'reward'],
    ),
    defaultSeverity: 'info',
    ttlSeconds: null,
    template: {
      text: `🎁 {{ data.participant | default: "Someone" }} won {{ data.reward | default: "a reward" }}!`,
      blocks: [
        section(`🎁 ${participant} won {% if data.reward %}*{{ data.reward }}*{% else %}a reward{% endif %}${opt('data.challenge', ' in ')}!`),
        fieldsSection([field('How to claim', '{{ data.claim_instructions }}', 'data.claim_instructions')]),
        actions(linkButton('Claim reward', 'data.url', 'primary')),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: {
      ...challenge,
      participant: 'Bob',
      participant_id: 'U00000002',
      claim_instructions: 'Check your email for the gift card code.',
      url: 'https://rewards.example.com/rewards/r-5521',
    },
  },
];
