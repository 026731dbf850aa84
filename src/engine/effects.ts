/**
 * What a step asks the world to do besides replying. The engine only describes effects;
 * the worker carries them out as durable jobs, so they are never lost with a process.
 */
export type Effect = { type: 'escalate'; reason: string } | { type: 'delete_data' };
