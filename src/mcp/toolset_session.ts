/**
 * Dynamic toolsets (`--dynamic-toolsets`): a session starts with some
 * toolsets and three discovery tools, and enables the others when the model
 * asks for them, so that a large surface costs context only once it is used
 * (the design of github-mcp-server's dynamic toolsets). Enabling a toolset
 * changes this session's tools/list and sends
 * `notifications/tools/list_changed`; calls still go through the guard, so
 * scopes, limits and audit apply to every tool as they do without it.
 *
 * @module
 */
import { ToolError } from "../tools/errors.ts";
import { TOOLSET_DESCRIPTIONS } from "../tools/inventory.ts";
import type { Tool, Toolset } from "../tools/tool.ts";
import { TOOLSETS } from "../tools/tool.ts";
import type { ToolDescription } from "./sdk.ts";

/** The discovery tools' names. */
export const DISCOVERY_TOOLS = ["futu_list_toolsets", "futu_get_toolset_tools", "futu_enable_toolset"] as const;
type DiscoveryTool = (typeof DISCOVERY_TOOLS)[number];

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const TOOLSET_ARG = {
  type: "object",
  properties: { toolset: { type: "string", enum: [...TOOLSETS], description: "a name from futu_list_toolsets" } },
  required: ["toolset"],
  additionalProperties: false,
};

/** The discovery tools' tools/list entries. */
export const DISCOVERY_DESCRIPTIONS: readonly ToolDescription[] = [
  {
    name: "futu_list_toolsets",
    title: "List toolsets",
    description: "The toolsets this server offers, what each is for, and whether it is enabled in this session.",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    annotations: READ,
  },
  {
    name: "futu_get_toolset_tools",
    title: "Toolset tools",
    description: "The tools of one toolset (name, title, description), before enabling it.",
    inputSchema: TOOLSET_ARG as ToolDescription["inputSchema"],
    annotations: READ,
  },
  {
    name: "futu_enable_toolset",
    title: "Enable toolset",
    description: "Adds a toolset's tools to this session (tools/list changes). Enable only what the task needs.",
    inputSchema: TOOLSET_ARG as ToolDescription["inputSchema"],
    annotations: { ...READ, readOnlyHint: false },
  },
];

/** One session's enabled toolsets over the tools the server may offer. */
export class ToolsetSession {
  readonly #tools: readonly Tool[];
  readonly #enabled: Set<Toolset>;
  readonly #onChange: () => void;

  /**
   * @param tools every tool the server may offer (its toolsets, access rules and --read-only applied)
   * @param initial the toolsets enabled from the start
   * @param onChange called when the session's tool list changes
   */
  constructor(tools: readonly Tool[], initial: readonly Toolset[], onChange: () => void) {
    this.#tools = tools;
    this.#enabled = new Set(initial);
    this.#onChange = onChange;
  }

  /** The tools enabled now. */
  get tools(): Tool[] {
    return this.#tools.filter((tool) => this.#enabled.has(tool.toolset));
  }

  /** Whether a name is a discovery tool. */
  isDiscovery(name: string): name is DiscoveryTool {
    return (DISCOVERY_TOOLS as readonly string[]).includes(name);
  }

  /** Why a known tool may not be called in this session yet, if it may not. */
  disabledReason(name: string): string | undefined {
    const tool = this.#tools.find((t) => t.name === name);
    if (!tool || this.#enabled.has(tool.toolset)) return undefined;
    return `${name} is in toolset "${tool.toolset}", which this session has not enabled: call futu_enable_toolset`;
  }

  /** Runs a discovery tool; throws a ToolError for bad arguments. */
  run(name: DiscoveryTool, args: Record<string, unknown>): Record<string, unknown> {
    if (name === "futu_list_toolsets") {
      this.#noArgs(name, args);
      const offered = TOOLSETS.filter((toolset) => this.#tools.some((tool) => tool.toolset === toolset));
      return {
        toolsets: offered.map((toolset) => ({
          name: toolset,
          description: TOOLSET_DESCRIPTIONS[toolset],
          tools: this.#tools.filter((tool) => tool.toolset === toolset).length,
          enabled: this.#enabled.has(toolset),
        })),
      };
    }
    const toolset = this.#toolsetArg(name, args);
    const tools = this.#tools.filter((tool) => tool.toolset === toolset);
    if (name === "futu_get_toolset_tools") {
      return {
        toolset,
        enabled: this.#enabled.has(toolset),
        tools: tools.map((tool) => ({ name: tool.name, title: tool.title, description: tool.description })),
      };
    }
    const added = !this.#enabled.has(toolset);
    this.#enabled.add(toolset);
    if (added) this.#onChange();
    return { toolset, enabled: true, added, tools: tools.map((tool) => tool.name) };
  }

  #noArgs(name: string, args: Record<string, unknown>): void {
    const extra = Object.keys(args);
    if (extra.length > 0) {
      throw new ToolError("invalid_arguments", `invalid arguments for ${name}: unknown field "${extra[0]}"`);
    }
  }

  #toolsetArg(name: string, args: Record<string, unknown>): Toolset {
    const { toolset, ...rest } = args;
    this.#noArgs(name, rest);
    const offered = TOOLSETS.filter((t) => this.#tools.some((tool) => tool.toolset === t));
    if (typeof toolset !== "string" || !(offered as string[]).includes(toolset)) {
      throw new ToolError(
        "invalid_arguments",
        `invalid arguments for ${name}: toolset: expected one of ${offered.join(", ")}` +
          (typeof toolset === "string" ? `, got "${toolset}"` : ""),
      );
    }
    return toolset as Toolset;
  }
}
