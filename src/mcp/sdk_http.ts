/**
 * The MCP SDK's Streamable HTTP server transport, apart from {@link ./sdk.ts} so that only a futu-mcp serving
 * HTTP loads it.
 *
 * @module
 */
// @ts-types="../../node_modules/@modelcontextprotocol/sdk/dist/esm/server/webStandardStreamableHttp.d.ts"
export { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
