/**
 * `npm run bench:nlu-cv`: 5-fold cross-validation on the NLU training utterances (never the
 * held-out set), for choosing settings such as the classifier's emergency threshold.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { IntentClassifier } from '../src/nlu/intent-classifier.ts';
import { loadEmergencyDetector } from '../src/nlu/emergency-detector.ts';
// How rules plus the classifier score catch emergencies at several thresholds.
const rules = loadEmergencyDetector('nlu/emergency.yaml');
const data: Record<string, Record<string, string[]>> = {};
for (const lang of ['id', 'en']) data[lang] = (parse(readFileSync(`nlu/training/${lang}.yaml`, 'utf8')) as { intents: Record<string, string[]> }).intents;
const thresholds = [0.3, 0.4, 0.5, 0.6, 0.7, 0.85];
const stats = thresholds.map(() => ({ tp: 0, fn: 0, fp: 0, neg: 0 }));
let intentOk = 0, intentTotal = 0;
const hash = (s: string) => { let h = 0; for (const c of s) h = (h * 31 + c.charCodeAt(0)) | 0; return h; };
for (let fold = 0; fold < 5; fold++) {
  const train: Record<string, Record<string, string[]>> = {};
  const test: { lang: string; text: string; intent: string }[] = [];
  for (const [lang, intents] of Object.entries(data)) {
    train[lang] = {};
    for (const [intent, texts] of Object.entries(intents)) {
      train[lang]![intent] = [];
      for (const t of texts.map(String)) (Math.abs(hash(t)) % 5 === fold ? test.push({ lang, text: t, intent }) : train[lang]![intent]!.push(t));
    }
  }
  const clf = await IntentClassifier.train(train);
  for (const t of test) {
    const c = await clf.classify(t.text, t.lang);
    const best = c.ranked[0]?.intent; intentTotal++; if (best === t.intent) intentOk++;
    const rule = rules.detect(t.text).emergency; const words = t.text.trim().split(/\s+/).length;
    thresholds.forEach((th, i) => {
      const e = rule || (words >= 2 && c.emergencyScore >= th);
      const s = stats[i]!;
      if (t.intent === 'emergency') { if (e) s.tp++; else s.fn++; } else { s.neg++; if (e) s.fp++; }
    });
  }
}
console.log('intent CV', (intentOk / intentTotal).toFixed(3));
thresholds.forEach((th, i) => { const s = stats[i]!; console.log(th, 'recall', (s.tp / (s.tp + s.fn)).toFixed(3), 'falseAlarm', (s.fp / s.neg).toFixed(3)); });
