import { z } from 'zod';

/** Session variables a flow may set and test. Kept flat and small: only what a flow needs. */
export const variableName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'variable names are lower_snake_case' });
const variableValue = z.union([z.string(), z.number(), z.boolean()]);
/** A node id, or `flow:node` for a node in another flow. */
const target = z.string().regex(/^([a-z][a-z0-9_]*:)?[a-z][a-z0-9_]*$/, { error: 'expected node or flow:node' });
const localeKey = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, { error: 'expected a locale key like menu.prompt' });

export const conditionSchema = z.union([
  z.object({ exists: variableName }).strict(),
  z.object({ equals: z.tuple([variableName, variableValue]) }).strict(),
]);

export const choiceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,32}$/, { error: 'choice ids are 1-32 of a-z 0-9 _' }),
    label: localeKey,
    goto: target,
    set: z.record(variableName, variableValue).optional(),
  })
  .strict();

/** Lines shown under a text: contact entries from content/, with when they were checked. */
const contacts = z.array(z.string()).optional();

const sayNode = z
  .object({ type: z.literal('say'), text: localeKey, contacts, next: target.optional() })
  .strict();

const askNode = z
  .object({
    type: z.literal('ask'),
    text: localeKey,
    contacts,
    /** Shown in every language at once: for the language question, before one is known. */
    bilingual: z.boolean().optional(),
    choices: z.array(choiceSchema).min(1).max(10),
  })
  .strict();

const switchNode = z
  .object({
    type: z.literal('switch'),
    cases: z.array(z.object({ when: conditionSchema, goto: target }).strict()).min(1),
    default: target,
  })
  .strict();

const setNode = z
  .object({ type: z.literal('set'), values: z.record(variableName, variableValue), next: target })
  .strict();

const gotoNode = z.object({ type: z.literal('goto'), target }).strict();
const endNode = z.object({ type: z.literal('end') }).strict();

export const nodeSchema = z.discriminatedUnion('type', [sayNode, askNode, switchNode, setNode, gotoNode, endNode]);

export const flowSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    start: z.string(),
    nodes: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'node ids are lower_snake_case' }), nodeSchema),
  })
  .strict();

export type Condition = z.infer<typeof conditionSchema>;
export type Choice = z.infer<typeof choiceSchema>;
export type FlowNode = z.infer<typeof nodeSchema>;
export type AskNode = z.infer<typeof askNode>;
export type Flow = z.infer<typeof flowSchema>;
export type VariableValue = z.infer<typeof variableValue>;
