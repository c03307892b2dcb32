/**
 * Runs the WebClient baseline loop (webclient-loop.ts) in a child process, so it gets a process of
 * its own as Switchboard's gateway does. The job comes as JSON in BENCH_WEBCLIENT_JOB; prints
 * {"ready":true,"startedAt":…} (epoch ms, high resolution) as it makes its first call, then
 * {"done":true,…result}.
 */
import { runWebClientLoop, webClientFor, type WebClientLoopJob } from './webclient-loop.ts';

const job = JSON.parse(process.env.BENCH_WEBCLIENT_JOB ?? '') as WebClientLoopJob;
const web = webClientFor(job);
process.stdout.write(`${JSON.stringify({ ready: true, startedAt: performance.timeOrigin + performance.now() })}\n`);
const result = await runWebClientLoop(web, job);
process.stdout.write(`${JSON.stringify({ done: true, ...result })}\n`);
process.exit(0);
