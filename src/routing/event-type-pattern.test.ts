import { describe, expect, it } from 'vitest';
import { checkPatternMatchesKnown, checkSubscriptionPattern, matchesSubscriptions } from './event-type-pattern.ts';

describe('matchesSubscriptions', () => {
  it.each([
    ['approval.created', ['approval.created'], true],
    ['approval.created', ['approval.expired'], false],
    ['approval.created', ['approval.*'], true],
    ['approval.x.y', ['approval.*'], true],
    ['approval', ['approval.*'], false],
    ['approvals.x', ['approval.*'], false],
    ['approval.created', ['approval'], false],
    ['anything.at.all', ['*'], true],
    ['deploy.finished', ['approval.*', 'deploy.finished'], true],
    ['deploy.finished', [], false],
    ['Approval.created', ['approval.*'], false],
  ] as const)('%s against %j → %s', (eventType, patterns, expected) => {
    expect(matchesSubscriptions(eventType, patterns)).toBe(expected);
  });
});

describe('checkSubscriptionPattern', () => {
  it.each(['*', 'approval.*', 'approval.created', 'a.b.c.*', 'pin_failed', 'token-locked.x'])('accepts %s', (pattern) => {
    expect(checkSubscriptionPattern(pattern)).toBeNull();
  });

  it.each([
    ['', /empty/],
    ['approval.', /empty part/],
    ['.created', /empty part/],
    ['approval..created', /empty part/],
    ['*.created', /last part/],
    ['approval.*.x', /last part/],
    ['approval*', /whole part/],
    ['approval.cre*', /whole part/],
    ['approval created', /only letters, digits/],
    ['a'.repeat(201), /at most 200/],
  ])('rejects %j saying what to fix', (pattern, message) => {
    expect(checkSubscriptionPattern(pattern)).toMatch(message);
  });
});

describe('checkPatternMatchesKnown', () => {
  const known = ['approval.created', 'approval.executed', 'alert.triggered', 'alert.resolved', 'ops.release.done'];
  it.each([
    ['approval.*', null],
    ['*', null],
    ['ops.release.*', null],
    ['alert.triggered', null],
    ['approvals.*', { suggestion: 'approval.*' }],
    ['alert.trigered', { suggestion: 'alert.triggered' }],
    ['Alert.Triggered', { suggestion: 'alert.triggered' }],
    ['ops.relase.*', { suggestion: 'ops.release.*' }],
    ['approval.created.*', { suggestion: 'approval.created' }],
    ['billing.*', {}],
    ['nothing.like.it', {}],
  ] as const)('%s → %j', (pattern, expected) => {
    expect(checkPatternMatchesKnown(pattern, known)).toEqual(expected);
  });
});
