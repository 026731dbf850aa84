import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ENGINE_CONTACTS } from '../engine/engine-keys.ts';
import type { FlowProblem } from '../content/flow-problem.ts';
import { eachNode, type Check } from './lint-context.ts';

/** A contact a flow (or the engine) names must exist in content/contacts.yaml. */
export const checkContactReferences: Check = ({ flows, contacts, localesDir }) => [
  ...ENGINE_CONTACTS.filter((id) => !contacts.get(id)).map((id) => ({
    severity: 'error' as const,
    rule: 'unknown-contact',
    file: localesDir,
    message: `contact "${id}", which the engine's fallback reply shows, is not in content/contacts.yaml`,
  })),
  ...eachNode(flows).flatMap(({ flowId, nodeId, node, file, line }) =>
    'contacts' in node
      ? (node.contacts ?? [])
          // "{{var}}" is a list an action fills in at run time.
          .filter((id) => !/^\{\{.*\}\}$/.test(id) && !contacts.get(id))
          .map((id) => ({
            severity: 'error' as const,
            rule: 'unknown-contact',
            file,
            line,
            node: `${flowId}:${nodeId}`,
            message: `contact "${id}" is not in content/contacts.yaml`,
          }))
      : [],
  ),
];

// +62 812 9007 0027, 0800-1000, (021) 27808211, 08111-129-129: seven or more digits.
export const PHONE_PATTERN = /(?:\+|\(0|\b0)[\d\s().-]{6,}\d|\b\d{3,4}[\s.-]\d{3,4}[\s.-]?\d{2,4}\b/g;

/**
 * Numbers belong in content/ with a source and a date, never in prose or flows: a number
 * in a sentence escapes the "when was this checked" discipline. Short codes are caught by
 * comparing digits with the contacts' own numbers (110, 129).
 */
export const checkPhoneNumbers: Check = ({ flowsDir, localesDir, contacts }) => {
  const shortCodes = new Set(
    contacts
      .all()
      .filter((contact) => contact.kind === 'phone' || contact.kind === 'whatsapp')
      .map((contact) => (contact.value ?? '').replace(/\D/g, ''))
      .filter((digits) => digits !== ''),
  );
  const files = [
    ...readdirSync(flowsDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => path.join(flowsDir, name)),
    ...readdirSync(localesDir).flatMap((language) =>
      readdirSync(path.join(localesDir, language))
        .filter((name) => name.endsWith('.json'))
        .map((name) => path.join(localesDir, language, name)),
    ),
  ];
  const problems: FlowProblem[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const found = [...text.matchAll(PHONE_PATTERN)].map((match) => match[0].trim());
      const isLocale = file.endsWith('.json');
      // In prose, any run of digits that is a known hotline is a number written out.
      if (isLocale)
        found.push(
          ...[...text.matchAll(/\d[\d\s-]*\d|\b\d+\b/g)].map((m) => m[0]).filter((digits) => shortCodes.has(digits.replace(/\D/g, ''))),
        );
      for (const number of new Set(found)) {
        problems.push({
          severity: 'error',
          rule: 'phone-number-in-text',
          file,
          line: index + 1,
          message: `"${number}" looks like a phone number: put it in content/contacts.yaml with source and verifiedOn`,
        });
      }
    });
  }
  return problems;
};
