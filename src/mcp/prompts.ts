/**
 * MCP prompts an operator uses, each built from live data when it is asked
 * for: `pre_trade_checklist` (one order, before it is placed),
 * `portfolio_review` (one account) and `market_brief` (one market). They read
 * only through the reader guard — every read-only tool, under the caller's
 * key, scopes, account whitelist and audit — so a prompt shows exactly what
 * the key may read, and says which piece it may not.
 *
 * @module
 */
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import { ErrorCode, type GetPromptResult, type Prompt } from "./sdk.ts";
import { PromptError, type PromptReads, promptReads } from "./_prompt_data.ts";
import { PRE_TRADE_CHECKLIST, preTradeChecklist } from "./_prompt_trade.ts";
import { PORTFOLIO_REVIEW, portfolioReview } from "./_prompt_portfolio.ts";
import { MARKET_BRIEF, marketBrief } from "./_prompt_market.ts";

const BUILDERS: Record<string, (reads: PromptReads, args: Record<string, string>) => Promise<GetPromptResult>> = {
  [PRE_TRADE_CHECKLIST.name]: preTradeChecklist,
  [PORTFOLIO_REVIEW.name]: portfolioReview,
  [MARKET_BRIEF.name]: marketBrief,
};

/** The prompts, as `prompts/list` shows them. */
export const PROMPTS: readonly Prompt[] = [PRE_TRADE_CHECKLIST, PORTFOLIO_REVIEW, MARKET_BRIEF];

/** `prompts/get`: the prompt built from live data read with the request's key. */
export function getPrompt(
  reader: ToolGuard,
  name: string,
  args: Record<string, string>,
  meta: CallMeta,
): Promise<GetPromptResult> {
  const build = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (!build) {
    return Promise.reject(
      new PromptError(
        ErrorCode.InvalidParams,
        `unknown prompt "${name}"; prompts: ${PROMPTS.map((p) => p.name).join(", ")}`,
      ),
    );
  }
  return build(promptReads(reader, meta), args);
}
