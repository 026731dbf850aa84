/** The first number in an answer: "25", "umur 25 tahun", "1.500" (Indonesian thousands), "2,5". */
export function parseNumber(text: string): number | undefined {
  const match = text.match(/-?\d+(?:[.,]\d+)*/);
  if (!match) return undefined;
  let digits = match[0];
  // "1.500.000" and "1,500,000" group thousands; a single separator before 1-2 digits is a decimal.
  if (/^-?\d{1,3}([.,]\d{3})+$/.test(digits)) digits = digits.replace(/[.,]/g, '');
  else digits = digits.replace(',', '.');
  const value = Number(digits);
  return Number.isFinite(value) ? value : undefined;
}
