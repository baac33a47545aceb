/**
 * Generates the OpenD protobuf schema used at run time from the pinned npm
 * package `futu-api` (its `proto/*.proto` files and its `ftCmdID` protoID
 * table), so that no protobuf definition is ever typed by hand.
 *
 * Outputs:
 * - `src/gateway/proto/descriptor.json`: the protobufjs JSON descriptor of the
 *   protocols we speak (loaded by `src/gateway/proto/codec.ts`);
 * - `src/gateway/proto/messages.ts`: TypeScript types of every message, the
 *   protocol table (name → protoID, request or push) and every enum.
 *
 * Usage:
 *   deno task gen:proto          # rewrite both files
 *   deno task gen:proto --check  # exit 1 if the committed files are stale
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";
import { ftCmdID } from "npm:futu-api@10.11.7108";

/** The protocols futu-mcp and the simulator speak, by .proto file name. */
export const PROTOCOL_FILES: readonly string[] = [
  "InitConnect",
  "GetGlobalState",
  "Notify",
  "KeepAlive",
  "GetUserInfo",
  "GetDelayStatistics",
  "Qot_Sub",
  "Qot_RegQotPush",
  "Qot_GetSubInfo",
  "Qot_GetBasicQot",
  "Qot_UpdateBasicQot",
  "Qot_GetKL",
  "Qot_UpdateKL",
  "Qot_GetRT",
  "Qot_UpdateRT",
  "Qot_GetTicker",
  "Qot_UpdateTicker",
  "Qot_GetOrderBook",
  "Qot_UpdateOrderBook",
  "Qot_GetBroker",
  "Qot_UpdateBroker",
  "Qot_RequestHistoryKL",
  "Qot_RequestHistoryKLQuota",
  "Qot_GetStaticInfo",
  "Qot_GetSecuritySnapshot",
  "Qot_GetPlateSet",
  "Qot_GetPlateSecurity",
  "Qot_GetMarketState",
  "Qot_RequestRehab",
  "Qot_GetReference",
  "Qot_GetOwnerPlate",
  "Qot_GetHoldingChangeList",
  "Qot_GetOptionChain",
  "Qot_GetWarrant",
  "Qot_GetCapitalFlow",
  "Qot_GetCapitalDistribution",
  "Qot_GetUserSecurity",
  "Qot_ModifyUserSecurity",
  "Qot_StockFilter",
  "Qot_GetCodeChange",
  "Qot_GetIpoList",
  "Qot_GetFutureInfo",
  "Qot_RequestTradeDate",
  "Qot_SetPriceReminder",
  "Qot_GetPriceReminder",
  "Qot_UpdatePriceReminder",
  "Qot_GetUserSecurityGroup",
  "Qot_GetOptionExpirationDate",
  "Trd_GetAccList",
  "Trd_UnlockTrade",
  "Trd_SubAccPush",
  "Trd_GetFunds",
  "Trd_GetPositionList",
  "Trd_GetMaxTrdQtys",
  "Trd_GetOrderList",
  "Trd_PlaceOrder",
  "Trd_ModifyOrder",
  "Trd_UpdateOrder",
  "Trd_GetOrderFillList",
  "Trd_UpdateOrderFill",
  "Trd_GetHistoryOrderList",
  "Trd_GetHistoryOrderFillList",
  "Trd_GetMarginRatio",
  "Trd_GetOrderFee",
  "Trd_FlowSummary",
  // The research data beyond the classic surface (fundamentals, ownership, rankings, options
  // analytics, macro, news, event contracts) and their pushes.
  "Qot_FilterCompetition",
  "Qot_GetArkActiveTransaction",
  "Qot_GetArkFundHolding",
  "Qot_GetArkStockDynamic",
  "Qot_GetCompanyExecutiveBackground",
  "Qot_GetCompanyExecutives",
  "Qot_GetCompanyOperationalEfficiency",
  "Qot_GetCompanyProfile",
  "Qot_GetCorporateActionsBuybacks",
  "Qot_GetCorporateActionsDividends",
  "Qot_GetCorporateActionsStockSplits",
  "Qot_GetDailyShortVolume",
  "Qot_GetDividendCalendar",
  "Qot_GetDividendRank",
  "Qot_GetEarningsBeatRank",
  "Qot_GetEarningsCalendar",
  "Qot_GetEconomicCalendar",
  "Qot_GetEventContract",
  "Qot_GetEventContractCategory",
  "Qot_GetEventContractComboList",
  "Qot_GetEventContractComboRfq",
  "Qot_GetEventContractEventList",
  "Qot_GetEventContractKline",
  "Qot_GetEventContractMilestoneList",
  "Qot_GetEventContractOrderBook",
  "Qot_GetEventContractSeriesList",
  "Qot_GetEventContractSnapshot",
  "Qot_GetEventContractTicker",
  "Qot_GetFedWatchDotPlot",
  "Qot_GetFedWatchTargetRate",
  "Qot_GetFinancialsEarningsPriceHistory",
  "Qot_GetFinancialsEarningsPriceMove",
  "Qot_GetFinancialsRevenueBreakdown",
  "Qot_GetFinancialsStatements",
  "Qot_GetHeatMapData",
  "Qot_GetHighDividendSOERank",
  "Qot_GetHotList",
  "Qot_GetIndicatorList",
  "Qot_GetIndustrialChainByPlate",
  "Qot_GetIndustrialChainDetail",
  "Qot_GetIndustrialChainList",
  "Qot_GetIndustrialPlateInfo",
  "Qot_GetIndustrialPlateStock",
  "Qot_GetInsiderHolderList",
  "Qot_GetInsiderTradeList",
  "Qot_GetInstitutionDistribution",
  "Qot_GetInstitutionHoldingChange",
  "Qot_GetInstitutionHoldingList",
  "Qot_GetInstitutionList",
  "Qot_GetInstitutionProfile",
  "Qot_GetMacroIndicatorHistory",
  "Qot_GetMacroIndicatorList",
  "Qot_GetOptionEarningsScreener",
  "Qot_GetOptionEvent",
  "Qot_GetOptionEventAlert",
  "Qot_GetOptionExerciseProbability",
  "Qot_GetOptionMarketStatistic",
  "Qot_GetOptionQuote",
  "Qot_GetOptionRank",
  "Qot_GetOptionSellerScreener",
  "Qot_GetOptionStrategy",
  "Qot_GetOptionStrategyAnalysis",
  "Qot_GetOptionStrategySpread",
  "Qot_GetOptionUnderlyingHisStatistic",
  "Qot_GetOptionUnderlyingHisVolatility",
  "Qot_GetOptionUnderlyingOverview",
  "Qot_GetOptionUnderlyingRank",
  "Qot_GetOptionVolatility",
  "Qot_GetOptionZeroDteContract",
  "Qot_GetOptionZeroDteScreener",
  "Qot_GetPeriodChangeRank",
  "Qot_GetRatingChange",
  "Qot_GetResearchAnalystConsensus",
  "Qot_GetResearchMorningstarReport",
  "Qot_GetResearchRatingSummary",
  "Qot_GetRiseFallDistribution",
  "Qot_GetSearchNews",
  "Qot_GetSearchQuote",
  "Qot_GetShareholdersHolderDetail",
  "Qot_GetShareholdersHoldingChanges",
  "Qot_GetShareholdersInstitutional",
  "Qot_GetShareholdersOverview",
  "Qot_GetShortInterest",
  "Qot_GetShortSellingRank",
  "Qot_GetSuspend",
  "Qot_GetTopMoversRank",
  "Qot_GetTopTenBuySellBrokers",
  "Qot_GetUSAfterHoursRank",
  "Qot_GetUSOvernightRank",
  "Qot_GetUSPreMarketRank",
  "Qot_GetValuationDetail",
  "Qot_GetValuationPlateStockList",
  "Qot_OptionScreen",
  "Qot_RequestHistoryEventContractKL",
  "Qot_RequestIndicatorCalc",
  "Qot_SetOptionEventAlert",
  "Qot_StockScreen",
  "Qot_SubEventContract",
  "Qot_WarrantScreen",
  "Qot_PushIndicatorCalc",
  "Qot_UpdateEventContractOrderBook",
  "Qot_UpdateEventContractKline",
  "Qot_UpdateEventContractTicker",
  "Qot_UpdateOptionEvent",
];

/**
 * protoIDs the pinned futu-api's `ftCmdID` table lacks although the package ships
 * their `.proto` files. Source: the official Futu OpenAPI Java SDK of the same
 * 10.x line, `com.futu.openapi.ProtoID` (QOT_GETFINANCIALSEARNINGSPRICEMOVE = 3225
 * … QOT_GETOPTIONEXERCISEPROBABILITY = 3251), whose other entries match `ftCmdID`
 * wherever both have one. The generator refuses an entry `ftCmdID` also has, or
 * one whose id another protocol already uses.
 */
export const PROTO_ID_SUPPLEMENT: Readonly<Record<string, number>> = {
  Qot_GetFinancialsEarningsPriceMove: 3225,
  Qot_GetFinancialsEarningsPriceHistory: 3226,
  Qot_GetFinancialsStatements: 3227,
  Qot_GetFinancialsRevenueBreakdown: 3228,
  Qot_GetResearchAnalystConsensus: 3229,
  Qot_GetResearchRatingSummary: 3230,
  Qot_GetResearchMorningstarReport: 3231,
  Qot_GetValuationDetail: 3232,
  Qot_GetValuationPlateStockList: 3233,
  Qot_GetCorporateActionsDividends: 3234,
  Qot_GetCorporateActionsBuybacks: 3235,
  Qot_GetCorporateActionsStockSplits: 3236,
  Qot_GetShareholdersOverview: 3237,
  Qot_GetShareholdersHoldingChanges: 3238,
  Qot_GetShareholdersHolderDetail: 3239,
  Qot_GetShareholdersInstitutional: 3240,
  Qot_GetInsiderHolderList: 3241,
  Qot_GetInsiderTradeList: 3242,
  Qot_GetCompanyProfile: 3243,
  Qot_GetCompanyExecutives: 3244,
  Qot_GetCompanyExecutiveBackground: 3245,
  Qot_GetCompanyOperationalEfficiency: 3246,
  Qot_GetTopTenBuySellBrokers: 3247,
  Qot_GetDailyShortVolume: 3248,
  Qot_GetShortInterest: 3249,
  Qot_GetOptionVolatility: 3250,
  Qot_GetOptionExerciseProbability: 3251,
};

const OUT_DIR = new URL("../src/gateway/proto/", import.meta.url);

/** The generated files, keyed by file name. */
export interface GeneratedFiles {
  "descriptor.json": string;
  "messages.ts": string;
}

/** Directory of the installed `futu-api` package. */
export function futuApiDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("futu-api/package.json"));
}

/** Builds both generated files in memory. */
export function generate(): GeneratedFiles {
  const pkgDir = futuApiDir();
  const pkg = JSON.parse(Deno.readTextFileSync(join(pkgDir, "package.json")));
  const root = new protobuf.Root();
  root.loadSync(PROTOCOL_FILES.map((f) => join(pkgDir, "proto", `${f}.proto`)), {
    keepCase: true,
  });
  root.resolveAll();

  const descriptor = JSON.stringify(root.toJSON(), null, 1) + "\n";
  const header = `// Generated by scripts/gen_proto.ts from npm:futu-api@${pkg.version}. Do not edit.\n` +
    "// deno-lint-ignore-file camelcase\n";
  return {
    "descriptor.json": descriptor,
    "messages.ts": header + renderTypes(root),
  };
}

const INT64 = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);
const NUMBER = new Set([
  "int32",
  "uint32",
  "sint32",
  "fixed32",
  "sfixed32",
  "double",
  "float",
]);

function tsName(fullName: string): string {
  return fullName.replace(/^\./, "").replaceAll(".", "_");
}

function fieldType(field: protobuf.Field): string {
  if (field.resolvedType instanceof protobuf.Type) {
    return tsName(field.resolvedType.fullName);
  }
  if (field.resolvedType instanceof protobuf.Enum) return "number";
  if (INT64.has(field.type)) return "Int64";
  if (NUMBER.has(field.type)) return "number";
  if (field.type === "bool") return "boolean";
  if (field.type === "string") return "string";
  if (field.type === "bytes") return "Uint8Array";
  throw new Error(`unsupported protobuf type ${field.type} in ${field.fullName}`);
}

function collect(ns: protobuf.NamespaceBase, types: protobuf.Type[], enums: protobuf.Enum[]) {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) {
      types.push(nested);
      collect(nested, types, enums);
    } else if (nested instanceof protobuf.Enum) {
      enums.push(nested);
    } else if (nested instanceof protobuf.Namespace) {
      collect(nested, types, enums);
    }
  }
}

function renderTypes(root: protobuf.Root): string {
  const types: protobuf.Type[] = [];
  const enums: protobuf.Enum[] = [];
  collect(root, types, enums);
  const out: string[] = [];
  out.push(
    "",
    "/** A 64-bit protobuf integer, carried as a decimal string so that no precision is lost. */",
    "export type Int64 = string;",
    "",
  );
  for (const type of types) {
    if (type.name === "Request" || type.name === "Response") continue;
    out.push(`/** \`${type.fullName.slice(1)}\` */`);
    if (type.fieldsArray.length === 0) {
      out.push(`export type ${tsName(type.fullName)} = Record<string, never>;`, "");
      continue;
    }
    out.push(`export interface ${tsName(type.fullName)} {`);
    for (const field of type.fieldsArray) {
      const t = fieldType(field);
      if (field.repeated) out.push(`  ${field.name}?: ${t}[];`);
      else if (field.required) out.push(`  ${field.name}: ${t};`);
      else out.push(`  ${field.name}?: ${t};`);
    }
    out.push("}", "");
  }
  for (const e of enums) {
    const prefix = `${e.name}_`;
    out.push(`/** \`${e.fullName.slice(1)}\` */`);
    out.push(`export const ${tsName(e.fullName)} = {`);
    for (const [key, value] of Object.entries(e.values)) {
      const short = key.startsWith(prefix) ? key.slice(prefix.length) : key;
      const prop = /^[A-Za-z_$][\w$]*$/.test(short) ? short : JSON.stringify(short);
      out.push(`  ${prop}: ${value},`);
    }
    out.push("} as const;", "");
  }

  const cmdByName = new Map<string, number>();
  for (const [key, entry] of Object.entries(ftCmdID as Record<string, { cmd: number }>)) {
    cmdByName.set(key, entry.cmd);
  }
  out.push(
    "/** Every protocol we speak: protoID, and whether it is a request/response or a push. */",
    "export const PROTOCOLS = {",
  );
  const table: string[] = [];
  for (const [file, id] of Object.entries(PROTO_ID_SUPPLEMENT)) {
    if (cmdByName.has(file.replaceAll("_", ""))) {
      throw new Error(`${file}: futu-api ftCmdID has it, drop it from the supplement`);
    }
    if ([...cmdByName.values()].includes(id)) throw new Error(`${file}: protoID ${id} belongs to another protocol`);
  }
  for (const file of PROTOCOL_FILES) {
    const id = cmdByName.get(file.replaceAll("_", "")) ?? PROTO_ID_SUPPLEMENT[file];
    if (id === undefined) throw new Error(`futu-api ftCmdID has no protoID for ${file}`);
    const ns = root.lookup(file);
    if (!(ns instanceof protobuf.Namespace)) throw new Error(`no package ${file}`);
    const isPush = ns.get("Request") === null;
    out.push(`  ${file}: { id: ${id}, push: ${isPush} },`);
    const c2s = isPush ? "never" : `${file}_C2S`;
    table.push(`  ${file}: { c2s: ${c2s}; s2c: ${file}_S2C };`);
  }
  out.push("} as const;", "");
  out.push(
    "/** The C2S and S2C message types of each protocol. */",
    "export interface ProtocolMessages {",
    ...table,
    "}",
    "",
  );
  return out.join("\n");
}

if (import.meta.main) {
  const files = generate();
  const check = Deno.args.includes("--check");
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const url = new URL(name, OUT_DIR);
    if (check) {
      let current = "";
      try {
        current = Deno.readTextFileSync(url);
      } catch { /* missing counts as stale */ }
      if (current !== text) {
        console.error(`stale: src/gateway/proto/${name} (run: deno task gen:proto)`);
        stale = true;
      }
    } else {
      Deno.writeTextFileSync(url, text);
      console.log(`wrote src/gateway/proto/${name}`);
    }
  }
  if (stale) Deno.exit(1);
}
