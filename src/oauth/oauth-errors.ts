/**
 * Why an install did not finish, each as a stable code with a sentence for the person in the
 * browser. The callback shows these on a page (src/oauth/install-result-page.ts), never a stack
 * trace or JSON.
 */
import { SwitchboardError } from '../errors.ts';

export const InstallProblem = {
  notConfigured: 'oauth_not_configured',
  cancelled: 'install_cancelled',
  slackDenied: 'slack_denied_install',
  stateMissing: 'state_missing',
  stateForged: 'state_forged',
  stateUnknown: 'state_unknown',
  stateExpired: 'state_expired',
  stateReused: 'state_reused',
  codeMissing: 'code_missing',
  codeRejected: 'code_rejected',
  slackRefused: 'slack_refused',
  slackUnreachable: 'slack_unreachable',
  enterpriseInstall: 'enterprise_install_unsupported',
} as const;
export type InstallProblem = (typeof InstallProblem)[keyof typeof InstallProblem];

const EXPLANATIONS: Record<InstallProblem, { title: string; message: string }> = {
  oauth_not_configured: {
    title: 'Connect Slack is not set up',
    message: 'This server has no Slack app configured (SWITCHBOARD_SLACK_CLIENT_ID and SWITCHBOARD_SLACK_CLIENT_SECRET). Ask the operator to set them.',
  },
  install_cancelled: { title: 'Slack was not connected', message: 'The installation was cancelled in Slack. Nothing was changed. Start again from the app whenever you are ready.' },
  slack_denied_install: { title: 'Slack was not connected', message: 'Slack did not complete the installation. Nothing was changed. Start again from the app.' },
  state_missing: { title: 'This link is incomplete', message: 'The address is missing its install state. Start the installation again from the app.' },
  state_forged: { title: 'This install link is not valid', message: 'The install state was not issued by this server, so the installation was refused. Start again from the app.' },
  state_unknown: { title: 'This install link is not valid', message: 'This server has no record of the install state (it may be older than a day). Start the installation again from the app.' },
  state_expired: { title: 'This install link has expired', message: 'Install links last 10 minutes. Start the installation again from the app.' },
  state_reused: { title: 'This install link was already used', message: 'Each install link works once. If Slack is not connected yet, start the installation again from the app.' },
  code_missing: { title: 'Slack did not send a code', message: 'The address is missing the authorization code. Start the installation again from the app.' },
  code_rejected: { title: 'Slack did not accept the authorization', message: 'The authorization code was invalid or expired (codes last ten minutes and work once). Start the installation again from the app.' },
  slack_refused: { title: 'Slack refused the installation', message: 'Slack did not accept the request to finish the installation. Start again; if it keeps failing, ask the operator to check the Slack app settings.' },
  slack_unreachable: { title: 'Slack could not be reached', message: 'Slack did not answer while finishing the installation. Start the installation again in a moment.' },
  enterprise_install_unsupported: {
    title: 'Install to one workspace',
    message: 'The app was installed for a whole Enterprise Grid organization, which this server does not support yet. Install it to a single workspace instead.',
  },
};

export class InstallError extends SwitchboardError {
  constructor(
    readonly problem: InstallProblem,
    details?: Record<string, unknown>,
  ) {
    super(problem, EXPLANATIONS[problem].message, details);
  }

  get title(): string {
    return EXPLANATIONS[this.problem].title;
  }
}
