/**
 * `npm run bench:nlu-cv`: 5-fold cross-validation on the NLU training utterances (never the
 * held-out set), for choosing how the emergency rules and the classifier's emergency score
 * combine. Prints intent accuracy, then recall and false alarms for each policy.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { IntentClassifier } from '../src/nlu/intent-classifier.ts';
import { loadEmergencyDetector, type RuleVerdict } from '../src/nlu/emergency-detector.ts';

const rules = loadEmergencyDetector('nlu/emergency.yaml');
const data: Record<string, Record<string, string[]>> = {};
for (const lang of ['id', 'en'])
  data[lang] = (parse(readFileSync(`nlu/training/${lang}.yaml`, 'utf8')) as { intents: Record<string, string[]> }).intents;

/** A way of deciding "emergency" from the rules' verdict and the classifier's score. */
type Policy = { name: string; decide: (rule: RuleVerdict, score: number, words: number) => boolean };
const policies: Policy[] = [];
for (const alone of [0.35, 0.4, 0.5, 0.6, 0.7]) {
  policies.push({ name: `rule or score>=${alone}`, decide: (r, s, w) => r.emergency || (w >= 2 && s >= alone) });
  for (const confirm of [0.05, 0.1, 0.2, 0.3]) {
    policies.push({
      name: `always or rule&score>=${confirm} or score>=${alone}`,
      decide: (r, s, w) => r.always || (r.emergency && s >= confirm) || (w >= 2 && s >= alone),
    });
    policies.push({
      name: `always or specific or rule&score>=${confirm} or score>=${alone}`,
      decide: (r, s, w) => r.always || r.specific === true || (r.emergency && s >= confirm) || (w >= 2 && s >= alone),
    });
    policies.push({
      name: `always or specific or rule&score>=${confirm} or (score>=${alone} and not money)`,
      decide: (r, s, w) => r.always || r.specific === true || (r.emergency && s >= confirm) || (w >= 2 && s >= alone && !r.aboutMoney),
    });
    policies.push({
      name: `(always or rule)&score>=${confirm} or score>=${alone}`,
      decide: (r, s, w) => (r.emergency && s >= confirm) || (w >= 2 && s >= alone),
    });
  }
}
const stats = policies.map(() => ({ tp: 0, fn: 0, fp: 0, neg: 0 }));
let intentOk = 0;
let intentTotal = 0;
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0);
for (let fold = 0; fold < 5; fold++) {
  const train: Record<string, Record<string, string[]>> = {};
  const test: { lang: string; text: string; intent: string }[] = [];
  for (const [lang, intents] of Object.entries(data)) {
    const kept: Record<string, string[]> = {};
    for (const [intent, texts] of Object.entries(intents)) {
      kept[intent] = [];
      for (const text of texts.map(String))
        Math.abs(hash(text)) % 5 === fold ? test.push({ lang, text, intent }) : kept[intent]!.push(text);
    }
    train[lang] = kept;
  }
  const classifier = await IntentClassifier.train(train);
  for (const sample of test) {
    const classified = await classifier.classify(sample.text, sample.lang);
    intentTotal += 1;
    if (classified.ranked[0]?.intent === sample.intent) intentOk += 1;
    const verdict = rules.detect(sample.text);
    const words = sample.text.trim().split(/\s+/).length;
    policies.forEach((policy, i) => {
      const alarm = policy.decide(verdict, classified.emergencyScore, words);
      const s = stats[i]!;
      if (sample.intent === 'emergency') alarm ? s.tp++ : s.fn++;
      else {
        s.neg++;
        if (alarm) s.fp++;
      }
    });
  }
}
console.log('intent CV', (intentOk / intentTotal).toFixed(3));
policies.forEach((policy, i) => {
  const s = stats[i]!;
  console.log(`recall ${(s.tp / (s.tp + s.fn)).toFixed(3)}  false alarms ${(s.fp / s.neg).toFixed(3)}  ${policy.name}`);
});
