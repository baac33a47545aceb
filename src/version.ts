/** The version of futu-mcp and futucli. */
export const VERSION = "0.1.0";
