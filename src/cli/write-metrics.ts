/** An evaluation's figures: one JSON line with the file's name, or one `name<TAB>value` line each. */
export function writeMetrics(file: string, metrics: object, json: boolean): void {
  process.stdout.write(
    json
      ? `${JSON.stringify({ file, ...metrics })}\n`
      : `${Object.entries(metrics)
          .map(([name, value]) => `${name}\t${value}`)
          .join('\n')}\n`,
  );
}
