/**
 * Reading back the text tables tools answer with (src/tools/render.ts's
 * `table`): a column of times whose header carries a pattern such as
 * `time (2026-MM-DD 00:00:00)` stands for the pattern with each cell's
 * parts filled in.
 *
 * @module
 */

/** A text table's columns (names without their time pattern) and its cells, times restored in full. */
export function readTable(text: string): { columns: string[]; rows: string[][] } {
  const [header, ...lines] = text.split("\n");
  const names = header.split("\t");
  const rows = lines.map((line) => line.split("\t"));
  const columns = names.map((name, c) => {
    const match = /^(.*) \((.*)\)$/.exec(name);
    if (!match) return name;
    const pattern = match[2];
    // The varying parts are the pattern's letters (YYYY, MM, DD, HH, SS, fff) and the separators between them.
    const varying = /[YMDHSf][-YMDHSf :.]*[YMDHSf]|[YMDHSf]+/.exec(pattern);
    if (!varying) return name;
    for (const row of rows) {
      if (row[c] !== undefined && row[c] !== "") {
        row[c] = pattern.slice(0, varying.index) + row[c] + pattern.slice(varying.index + varying[0].length);
      }
    }
    return match[1];
  });
  return { columns, rows };
}
