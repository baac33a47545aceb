/** A fresh temporary directory under `.test-tmp/` (the only place tests may write). */
export async function tempDir(prefix = "t"): Promise<string> {
  await Deno.mkdir(".test-tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: ".test-tmp", prefix: `${prefix}-` });
}
