/**
 * The resource URIs futu-mcp serves, their templates, and their parsing into
 * what they address: a security's quote or book, or one of an account's
 * positions, orders and funds. Shared by the resources and completion.
 *
 * @module
 */
import { IdError, parseSymbol, parseUint64, SymbolError } from "../gateway/mod.ts";
import { mcpError } from "./_resource_call.ts";
import { ErrorCode, type McpError, type ResourceTemplate } from "./sdk.ts";

/** What a security resource shows. */
export type SecurityView = "quote" | "orderbook";
/** What an account resource shows. */
export type AccountView = "positions" | "orders" | "funds";

/** A parsed resource URI. */
export type ResourceTarget =
  | { kind: "security"; view: SecurityView; symbol: string }
  | { kind: "account"; view: AccountView; accId: string };

const JSON_MIME = "application/json";

/** The resource templates (`resources/templates/list`). */
export const RESOURCE_TEMPLATES: readonly ResourceTemplate[] = [
  {
    uriTemplate: "futu://quote/{symbol}",
    name: "quote",
    title: "Quote",
    description:
      'Real-time quote of a security, {symbol} as "HK.00700" or "US.AAPL" (futu_get_quote). Subscribe: updated on each quote push.',
    mimeType: JSON_MIME,
  },
  {
    uriTemplate: "futu://orderbook/{symbol}",
    name: "orderbook",
    title: "Order book",
    description:
      'Bid/ask ladder, 10 levels, {symbol} as "HK.00700" (futu_get_orderbook). Subscribe: updated on book pushes.',
    mimeType: JSON_MIME,
  },
  {
    uriTemplate: "futu://account/{acc_id}/positions",
    name: "positions",
    title: "Positions",
    description:
      "Positions of an account in every market it trades (futu_get_positions). Subscribe: updated on its orders and fills.",
    mimeType: JSON_MIME,
  },
  {
    uriTemplate: "futu://account/{acc_id}/orders",
    name: "orders",
    title: "Today's orders",
    description: "Today's orders of an account (futu_get_orders). Subscribe: updated on its orders and fills.",
    mimeType: JSON_MIME,
  },
  {
    uriTemplate: "futu://account/{acc_id}/funds",
    name: "funds",
    title: "Funds",
    description:
      "Funds of an account in its base currency (futu_get_funds). Subscribe: updated on its orders and fills.",
    mimeType: JSON_MIME,
  },
];

/** The variables of each template, by template URI (for completion). */
export const TEMPLATE_ARGUMENTS: ReadonlyMap<string, readonly string[]> = new Map(
  RESOURCE_TEMPLATES.map((t) => [t.uriTemplate, [...t.uriTemplate.matchAll(/\{(\w+)\}/g)].map((m) => m[1])]),
);

const EXPECTED = "expected futu://quote/{symbol}, futu://orderbook/{symbol} or futu://account/{acc_id}/" +
  "positions|orders|funds";

function invalid(message: string): McpError {
  return mcpError(ErrorCode.InvalidParams, message);
}

function segment(uri: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalid(`invalid resource URI ${JSON.stringify(uri)}: bad percent-encoding in ${JSON.stringify(raw)}`);
  }
}

/** Parses a resource URI; an McpError (InvalidParams) names what is wrong. */
export function parseResourceUri(uri: string): ResourceTarget {
  if (typeof uri !== "string" || uri.length > 512) throw invalid(`invalid resource URI: ${EXPECTED}`);
  const security = /^futu:\/\/(quote|orderbook)\/([^/?#]+)$/.exec(uri);
  if (security) {
    try {
      return {
        kind: "security",
        view: security[1] as SecurityView,
        symbol: parseSymbol(segment(uri, security[2])).symbol,
      };
    } catch (err) {
      if (err instanceof SymbolError) throw invalid(`resource ${uri}: ${err.message}`);
      throw err;
    }
  }
  const account = /^futu:\/\/account\/([^/?#]+)\/([^/?#]+)$/.exec(uri);
  if (account) {
    const view = account[2];
    if (view !== "positions" && view !== "orders" && view !== "funds") {
      throw invalid(
        `resource ${uri}: unknown account view ${JSON.stringify(view)}: expected positions, orders or funds`,
      );
    }
    try {
      return { kind: "account", view, accId: parseUint64(segment(uri, account[1]), "acc_id") };
    } catch (err) {
      if (err instanceof IdError) throw invalid(`resource ${uri}: ${err.message}`);
      throw err;
    }
  }
  throw invalid(`unknown resource URI ${JSON.stringify(uri)}: ${EXPECTED}`);
}

/** The canonical URI of a target (upper-case market, padded HK codes, decimal acc_id). */
export function resourceUri(target: ResourceTarget): string {
  return target.kind === "security"
    ? `futu://${target.view}/${encodeURIComponent(target.symbol)}`
    : `futu://account/${target.accId}/${target.view}`;
}
