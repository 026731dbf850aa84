import { z } from 'zod';

/**
 * The flow language. A flow is a map of named nodes; a conversation moves from node to
 * node until a question waits for the person. No code in flows: conditions are data,
 * and actions are names of TypeScript functions in the registry (src/actions/).
 */

export const variableName = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'variable names are lower_snake_case' });
export const variableValue = z.union([z.string(), z.number(), z.boolean()]);
const nodeId = z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'node ids are lower_snake_case' });
/** A node in this flow, or `flow:node` for a node in another flow. */
export const target = z.string().regex(/^([a-z][a-z0-9_]*:)?[a-z][a-z0-9_]*$/, { error: 'expected node or flow:node' });
export const localeKey = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, { error: 'expected a locale key like menu.prompt' });

export type Condition =
  | { exists: string }
  | { equals: [string, VariableValue] }
  | { in: [string, VariableValue[]] }
  | { gte: [string, number] }
  | { lte: [string, number] }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ exists: variableName }).strict(),
    z.object({ equals: z.tuple([variableName, variableValue]) }).strict(),
    z.object({ in: z.tuple([variableName, z.array(variableValue).min(1)]) }).strict(),
    z.object({ gte: z.tuple([variableName, z.number()]) }).strict(),
    z.object({ lte: z.tuple([variableName, z.number()]) }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

export const choiceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,32}$/, { error: 'choice ids are 1-32 of a-z 0-9 _' }),
    label: localeKey,
    /** Where the choice leads; an `ask` may leave it out and go on to its `next`. */
    goto: target.optional(),
    set: z.record(variableName, variableValue).optional(),
  })
  .strict();

/** Contact entries from content/contacts.yaml, shown under the text with when they were checked. */
const contacts = z.array(z.string()).optional();

/** `choices`: one or more of the choices ("1 3", "1, 3", a tapped button), kept as their ids joined by commas. */
export const INPUT_KINDS = ['text', 'number', 'yes_no', 'choice', 'choices', 'country', 'province', 'district', 'location'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

const sayNode = z
  .object({
    type: z.literal('say'),
    text: localeKey,
    contacts,
    /** With choices, a `say` is a menu: it waits, and each choice leads on. */
    choices: z.array(choiceSchema).min(1).max(10).optional(),
    /** Shown in every language at once while the person's language is unknown. */
    bilingual: z.boolean().optional(),
    next: target.optional(),
  })
  .strict();

const askNode = z
  .object({
    type: z.literal('ask'),
    text: localeKey,
    contacts,
    input: z.enum(INPUT_KINDS),
    /** The session variable that keeps the answer. */
    into: variableName,
    choices: z.array(choiceSchema).min(1).max(10).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    min_length: z.number().int().positive().optional(),
    max_length: z.number().int().positive().optional(),
    /** The key that explains a bad answer; each input kind has a default. */
    invalid: localeKey.optional(),
    /** "skip"/"lewati" is accepted and leaves the variable unset. */
    skippable: z.boolean().optional(),
    bilingual: z.boolean().optional(),
    next: target,
    /** After this many bad answers, go to `on_fail` instead of asking again. */
    max_retries: z.number().int().min(0).max(10).optional(),
    on_fail: target.optional(),
  })
  .strict();

const switchNode = z
  .object({
    type: z.literal('switch'),
    cases: z.array(z.object({ when: conditionSchema, goto: target }).strict()).min(1),
    default: target,
    /** Variables forgotten once the switch has read them: a choice that is only needed to choose. */
    unset: z.array(variableName).optional(),
  })
  .strict();

const setNode = z
  .object({
    type: z.literal('set'),
    values: z.record(variableName, variableValue).optional(),
    unset: z.array(variableName).optional(),
    next: target,
  })
  .strict();

const actionInput: z.ZodType<unknown> = z.lazy(() => z.union([variableValue, z.array(actionInput)]));

const actionNode = z
  .object({
    type: z.literal('action'),
    action: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** Literal values; a string "{{name}}" is the session variable `name`. */
    inputs: z.record(z.string(), actionInput).optional(),
    /** Result field -> session variable. */
    outputs: z.record(z.string(), variableName).optional(),
    next: target,
    on_error: target.optional(),
  })
  .strict();

const escalateNode = z
  .object({
    type: z.literal('escalate'),
    reason: z.string().regex(/^[a-z][a-z0-9_]*$/),
    next: target.optional(),
  })
  .strict();

/** Deletes everything Pelita keeps about the person (after the flow asked to confirm). */
const deleteDataNode = z.object({ type: z.literal('delete_data'), next: target.optional() }).strict();

/**
 * Opts the person in to alerts on the topics in the variable `topics` (as the `choices`
 * input keeps them: "scam_alerts,job_programmes"), recording the sentence they agreed to.
 */
const subscribeAlertsNode = z
  .object({ type: z.literal('subscribe_alerts'), topics: variableName, consent: localeKey, next: target.optional() })
  .strict();

/** Ends every alert to the person at once ("STOP"). */
const stopAlertsNode = z.object({ type: z.literal('stop_alerts'), next: target.optional() }).strict();

/**
 * Shows the answer card whose id the variable `card_from` holds (its text for the person's
 * situation, its contacts, "was this helpful?"), or goes on to `next` when it holds none.
 * The variable is forgotten once read.
 */
const showCardNode = z.object({ type: z.literal('show_card'), card_from: variableName, next: target }).strict();

const gotoNode = z.object({ type: z.literal('goto'), target }).strict();
const endNode = z.object({ type: z.literal('end') }).strict();

export const nodeSchema = z.discriminatedUnion('type', [
  sayNode,
  askNode,
  switchNode,
  setNode,
  actionNode,
  escalateNode,
  deleteDataNode,
  subscribeAlertsNode,
  stopAlertsNode,
  showCardNode,
  gotoNode,
  endNode,
]);

export const flowSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    /** A line for people reading the file; not shown to users. */
    description: z.string().optional(),
    start: nodeId,
    nodes: z.record(nodeId, nodeSchema),
  })
  .strict();

export type Choice = z.infer<typeof choiceSchema>;
export type FlowNode = z.infer<typeof nodeSchema>;
export type SayNode = z.infer<typeof sayNode>;
export type AskNode = z.infer<typeof askNode>;
export type SwitchNode = z.infer<typeof switchNode>;
export type SetNode = z.infer<typeof setNode>;
export type ActionNode = z.infer<typeof actionNode>;
export type EscalateNode = z.infer<typeof escalateNode>;
export type SubscribeAlertsNode = z.infer<typeof subscribeAlertsNode>;
export type Flow = z.infer<typeof flowSchema>;
export type VariableValue = z.infer<typeof variableValue>;
/** A node that waits for the person: a menu (`say` with choices) or an `ask`. */
export type QuestionNode = AskNode | (SayNode & { choices: Choice[] });

export function isQuestion(node: FlowNode): node is QuestionNode {
  return node.type === 'ask' || (node.type === 'say' && node.choices !== undefined);
}
