/**
 * Company fundamentals: profile and management, financial statements and
 * revenue mix, earnings reactions, analyst research, valuation, corporate
 * actions, security search. The tools (toolset `research`, scope `qot:read`).
 *
 * @module
 */
import { z } from "zod";
import { toSecurity } from "../gateway/symbols.ts";
import { symbol } from "./args.ts";
import { insightOutput, insightResult, insightText } from "./_insight.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const COMPANY_VIEWS = ["profile", "executives", "executive_background", "efficiency"] as const;

const company = defineTool({
  name: "futu_get_company",
  title: "Company profile and management",
  description:
    'Who the company is and who runs it. view "profile" (default): business description, industry, listing, headquarters, as label/value rows; "executives": directors and officers with position, start date, age, education, salary; "executive_background": one executive\'s career (give executive, a leader_name from "executives"); "efficiency": employees, revenue and profit per employee by fiscal period. Example: {"symbol":"US.AAPL","view":"executives"}.',
  toolset: "research",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    symbol,
    view: z.enum(COMPANY_VIEWS).optional().default("profile"),
    executive: z.string().min(1).optional().describe('leader_name from view "executives"'),
  }).refine((a) => (a.view === "executive_background") === (a.executive !== undefined), {
    message: 'executive is given with view "executive_background", and only with it',
    path: ["executive"],
  }),
  output: insightOutput({ symbol: z.string(), view: z.enum(COMPANY_VIEWS) }, [
    "Qot_GetCompanyProfile",
    "Qot_GetCompanyExecutives",
    "Qot_GetCompanyExecutiveBackground",
    "Qot_GetCompanyOperationalEfficiency",
  ]),
  async run(ctx, args) {
    const security = toSecurity(args.symbol);
    const head = { symbol: args.symbol, view: args.view };
    switch (args.view) {
      case "profile":
        return {
          ...head,
          ...insightResult("Qot_GetCompanyProfile", await ctx.insight.get("Qot_GetCompanyProfile", { security })),
        };
      case "executives":
        return {
          ...head,
          ...insightResult("Qot_GetCompanyExecutives", await ctx.insight.get("Qot_GetCompanyExecutives", { security })),
        };
      case "executive_background":
        return {
          ...head,
          ...insightResult(
            "Qot_GetCompanyExecutiveBackground",
            await ctx.insight.get("Qot_GetCompanyExecutiveBackground", { security, leaderName: args.executive }),
          ),
        };
      case "efficiency":
        return {
          ...head,
          ...insightResult(
            "Qot_GetCompanyOperationalEfficiency",
            await ctx.insight.get("Qot_GetCompanyOperationalEfficiency", { security, num: 12 }),
          ),
        };
    }
  },
  text: insightText,
});

/** The company research tools. */
export const FUNDAMENTAL_TOOLS: readonly Tool[] = [company];
