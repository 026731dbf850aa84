import { contentPathsFrom } from '../config/content-paths.ts';
import { loadAnswerBank } from '../content/answer-bank.ts';
import { loadContacts } from '../content/contact-directory.ts';
import { ANSWER_POLICY } from '../engine/answer-cards.ts';
import { AnswerRetriever } from '../nlu/answer-retriever.ts';
import { evaluateAnswers, loadLabelledQuestions } from '../nlu/evaluate-answers.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../core/log/logger.ts';
import { AnswerCounts } from '../pipeline/answer-counts.ts';
import { ensureRedis } from '../redis/ensure-redis.ts';
import { openRedis, withTimeout } from '../redis/redis-connection.ts';
import { RedisKeys } from '../redis/redis-keys.ts';
import { UsageError } from './parse-cli.ts';
import { readAll } from './read-stdin.ts';
import { writeMetrics } from './write-metrics.ts';

/**
 * `pelita answer`: which answer card a message (on stdin) asks for, for the content team and
 * scripts; needs no Redis. `--json` prints {"card","confidence","alternatives":[...]};
 * `--evaluate FILE` scores labelled questions (top-1, top-3, answered at once).
 */
export async function answerCommand(
  options: { json: boolean; lang: string | undefined; evaluate?: string | undefined; errors?: boolean; stats?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (options.stats) return answerStats(options.json, env);
  const paths = contentPathsFrom(env);
  const bank = loadAnswerBank(paths.content, loadContacts(paths.content));
  const retriever = new AnswerRetriever(bank);
  if (options.evaluate !== undefined) {
    const questions = loadLabelledQuestions(options.evaluate);
    if (options.errors) {
      // For tuning on the development questions; never read a held-out set this way.
      for (const question of questions) {
        const found = retriever.find(question.text, 3);
        if (found.card === question.card || (question.card === 'none' && found.confidence < ANSWER_POLICY.answer)) continue;
        process.stdout.write(
          `${question.card}>${found.card ?? '-'}\t${found.confidence}\t${found.alternatives.map((match) => `${match.card}:${match.confidence}`).join(',')}\t${question.text}\n`,
        );
      }
    }
    const metrics = evaluateAnswers(retriever, questions, ANSWER_POLICY);
    writeMetrics(options.evaluate, metrics, options.json);
    return 0;
  }
  const message = (await readAll(process.stdin)).trim();
  if (message === '')
    throw new UsageError('answer reads a message on standard input, e.g.: echo "boleh gk agen pegang paspor" | pelita answer --json');
  const found = retriever.find(message, 4);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ card: found.card ?? null, confidence: found.confidence, alternatives: found.alternatives })}\n`,
    );
    return 0;
  }
  const card = found.card ? bank.get(found.card) : undefined;
  if (!card || found.confidence < ANSWER_POLICY.suggest) {
    process.stdout.write(`no card fits (best ${found.confidence})\n`);
    return 0;
  }
  const language = options.lang ?? 'id';
  if (language !== 'id' && language !== 'en') throw new UsageError('--lang must be id or en');
  process.stdout.write(`${card.id} (${found.confidence})\n${card.answer[language]}\n`);
  return 0;
}

/** `pelita answer --stats`: shown, helpful and not helpful per card, most shown first. */
async function answerStats(json: boolean, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const log = createLogger({ level: 'warn', logMessages: false });
  const reachable = await ensureRedis({ url: config.REDIS_URL, urlWasSet: config.redisUrlWasSet, dataDir: config.DATA_DIR, log });
  const redis = openRedis(reachable.url);
  try {
    const counts = await new AnswerCounts(redis, new RedisKeys(config.REDIS_PREFIX)).read();
    const rows = Object.entries(counts).sort((a, b) => b[1].shown - a[1].shown);
    if (json) process.stdout.write(`${JSON.stringify({ cards: Object.fromEntries(rows) })}\n`);
    else
      for (const [card, count] of rows)
        process.stdout.write(`${card}\tshown ${count.shown}\thelpful ${count.helpful}\tnot helpful ${count.not_helpful}\n`);
    return 0;
  } finally {
    await withTimeout(redis.quit(), 1000).catch(() => redis.disconnect());
    await reachable.stopPrivateServer?.();
  }
}
