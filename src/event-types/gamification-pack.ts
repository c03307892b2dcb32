/**
 * The gamification pack: a sales-gamification app announcing reward challenges, live progress,
 * results and personal achievements. Progress pings go stale fast (they expire after an hour);
 * winners and rewards are worth announcing whenever they arrive (they never expire).
 */
import type { EventTypeDefinition } from './event-type-definition.ts';
import { actions, context, field, fieldsSection, header, linkButton, person, section } from './template-parts.ts';
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

const participant = person('data.participant_id', 'data.participant');
const footer = context('🏅 {{ data.challenge }} · {{ project.name }}');

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
      text: '🚀 New reward challenge is live! {{ data.goal }} to win{% if data.reward %} {{ data.reward }}{% endif %}.',
      blocks: [
        header('🚀 New reward challenge is live!'),
        section('*{{ data.challenge }}*\n{{ data.goal }} to win{% if data.reward %} *{{ data.reward }}*{% endif %}.'),
        fieldsSection([
          field('Reward', '{{ data.reward }}', 'data.reward'),
          field('Ends', '{{ data.ends_at | slack_date }}', 'data.ends_at'),
        ]),
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
      text: '⚡ {{ data.participant }} just completed {{ data.current }}/{{ data.target }} {{ data.target | plural: data.unit }}',
      blocks: [
        section(`⚡ ${participant} just completed *{{ data.current }}/{{ data.target }}* {{ data.target | plural: data.unit }} in *{{ data.challenge }}*`),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread' },
    sampleData: { ...challenge, participant: 'Sarah', participant_id: 'U04SARAHC1', current: 3, target: 5, unit: 'meeting' },
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
      text: '🏁 {{ data.challenge }} is over! {{ data.standings | size }} {{ data.standings | plural: "participant" }} took part.',
      blocks: [
        header('🏁 {{ data.challenge }} is over!'),
        section('Final standings for *{{ data.goal }}*:', [
          {
            $each: 'data.standings',
            as: 'entry',
            template: {
              type: 'mrkdwn',
              text: '*{{ entry.rank }}. {{ entry.name }}*\n{{ entry.score }} {{ entry.score | plural: data.unit }}',
            },
          },
        ]),
        actions(linkButton('Full leaderboard', 'data.url')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread' },
    sampleData: {
      ...challenge,
      unit: 'meeting',
      standings: [
        { rank: 1, name: 'James', score: 7 },
        { rank: 2, name: 'Sarah', score: 5 },
        { rank: 3, name: 'Priya', score: 4 },
        { rank: 4, name: 'Tom', score: 1 },
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
      text: "🎉 Congrats to {{ data.winner }} for winning {% if data.period %}{{ data.period }}'s{% else %}the{% endif %} challenge!",
      blocks: [
        header("🎉 Congrats to {{ data.winner }} for winning {% if data.period %}{{ data.period }}'s{% else %}the{% endif %} challenge!"),
        section(
          `${person('data.winner_id', 'data.winner')} won *{{ data.challenge }}*{% if data.score %} with {{ data.score }} {{ data.score | plural: data.unit }}{% endif %}.{% if data.reward %} Enjoy your {{ data.reward }}! 🎁{% endif %}`,
        ),
        actions(linkButton('See results', 'data.url')),
        footer,
      ],
    },
    subjectPolicy: { action: 'thread', replyBroadcast: true },
    sampleData: { ...challenge, winner: 'James', winner_id: 'U04JAMESO2', period: 'this week', score: 7, unit: 'meeting' },
  },
  {
    name: 'milestone.reached',
    pack: 'gamification',
    description: 'A participant reached a personal or team milestone.',
    dataSchema: dataSchema({ ...participantFields, milestone: text('The milestone reached (e.g. 100 meetings booked)'), detail: text('A line more about it') }, ['participant', 'milestone']),
    defaultSeverity: 'info',
    ttlSeconds: DAY,
    template: {
      text: '🏆 {{ data.participant }} reached a milestone: {{ data.milestone }}',
      blocks: [
        section(`🏆 ${participant} reached a milestone: *{{ data.milestone }}*{% if data.detail %}\n{{ data.detail }}{% endif %}`),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: { participant: 'Priya', participant_id: 'U04PRIYAR3', milestone: '100 meetings booked', detail: 'Her first 100 since joining in March.' },
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
      text: '🔥 {{ data.participant }} is on a {{ data.streak }}-{{ data.period | default: "day" }} streak!',
      blocks: [
        section(
          `🔥 ${participant} is on a *{{ data.streak }}-{{ data.period | default: "day" }} streak*{% if data.activity %} of {{ data.activity }}{% endif %}! Keep it going.`,
        ),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: { participant: 'Tom', participant_id: 'U04TOMWIL4', streak: 7, period: 'day', activity: 'booking at least one meeting' },
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
      text: '🎁 {{ data.participant }} won {{ data.reward }}!',
      blocks: [
        section(`🎁 ${participant} won *{{ data.reward }}*{% if data.challenge %} in {{ data.challenge }}{% endif %}!`),
        fieldsSection([field('Reward', '{{ data.reward }}'), field('How to claim', '{{ data.claim_instructions }}', 'data.claim_instructions')]),
        actions(linkButton('Claim reward', 'data.url', 'primary')),
        context('{{ project.name }} · {{ event.occurred_at | slack_date }}'),
      ],
    },
    sampleData: {
      ...challenge,
      participant: 'James',
      participant_id: 'U04JAMESO2',
      claim_instructions: 'Check your email for the gift card code.',
      url: 'https://rewards.example.com/rewards/r-5521',
    },
  },
];
