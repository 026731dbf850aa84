/**
 * The attacker of the flood benchmark, as a process of its own: an attacker's machine is
 * not the phones of the people it slows down, and a client sharing one event loop with the
 * flood measures its own queue, not Pelita's (the measuring process's loop lagged 40 ms
 * per turn when both ran in it).
 *
 * Usage: flood-attacker.ts <base-url> <connections> <flooder-messages> <new-senders>
 * Half the connections post one sender's messages, half one message from each new sender,
 * side by side, until both are spent or SIGTERM; it then prints {"accepted","refused"}.
 */
import { inParallel, postMessage } from '../tests/harness/http-load.ts';

const [baseUrl, connectionsArg, flooderArg, newSendersArg] = process.argv.slice(2);
if (!baseUrl || !connectionsArg || !flooderArg || !newSendersArg) {
  console.error('usage: flood-attacker.ts <base-url> <connections> <flooder-messages> <new-senders>');
  process.exit(2);
}
const half = Math.max(1, Math.floor(Number(connectionsArg) / 2));

let accepted = 0;
let refused = 0;
let stopping = false;

const post = async (from: string, id: string, text: string) => {
  if ((await postMessage(baseUrl, { from, id, text })) === 202) accepted += 1;
  else refused += 1;
};

const report = () => {
  process.stdout.write(`${JSON.stringify({ accepted, refused })}\n`);
  process.exit(0);
};
process.once('SIGTERM', () => {
  stopping = true;
  report();
});

const oneSender = Array.from({ length: Number(flooderArg) }, (_, n) => () => post('flooder', `f${n}`, `spam ${n}`));
const newSenders = Array.from({ length: Number(newSendersArg) }, (_, n) => () => post(`new-sender-${n}`, 'n1', 'halo'));
const run = (send: () => Promise<void>) => (stopping ? Promise.resolve() : send());
process.stdout.write('flooding\n');
await Promise.all([inParallel(oneSender, half, run), inParallel(newSenders, half, run)]);
report();
