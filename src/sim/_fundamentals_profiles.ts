/**
 * Standing facts of the simulated companies (private to src/sim): where they
 * are based, what they sell, how their income statement and balance sheet
 * are proportioned (margins, tax rate, equity ratio…), their revenue
 * segments and regions, and their headcount. The financial model
 * (`fundamentals_financials.ts`) scales these to each quarter's reported
 * EPS, so every statement agrees with the catalog and `earnings.ts`.
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";

/** How one company's accounts are proportioned, and what it is. */
export interface CompanyFacts {
  industry: string;
  headquarters: string;
  website: string;
  founded: number;
  business: string;
  /** Employees at the end of fiscal 2025. */
  employees: number;
  /** Net income / revenue. */
  netMargin: number;
  /** Gross profit / revenue. */
  grossMargin: number;
  /** Income tax / pre-tax income. */
  taxRate: number;
  /** Equity / total assets. */
  equityRatio: number;
  /** Cash / total assets. */
  cashRatio: number;
  /** Capital expenditure / revenue. */
  capexRatio: number;
  /** Revenue by product or business line: name and share. */
  products: readonly (readonly [string, number])[];
  /** Revenue by region: name and share. */
  regions: readonly (readonly [string, number])[];
  auditor: string;
  moat: "Wide" | "Narrow" | "None";
}

const FACTS: Readonly<Record<string, CompanyFacts>> = {
  "HK.00700": {
    industry: "Internet & Software",
    headquarters: "Shenzhen, China",
    website: "https://www.tencent.com",
    founded: 1998,
    business: "Communication and social platforms, online games, digital content, fintech and cloud services.",
    employees: 110_000,
    netMargin: 0.3,
    grossMargin: 0.53,
    taxRate: 0.18,
    equityRatio: 0.55,
    cashRatio: 0.18,
    capexRatio: 0.1,
    products: [["Value-added Services", 0.49], ["Marketing Services", 0.19], ["FinTech and Business Services", 0.3], [
      "Others",
      0.02,
    ]],
    regions: [["Mainland China", 0.92], ["Overseas", 0.08]],
    auditor: "PricewaterhouseCoopers",
    moat: "Wide",
  },
  "HK.09988": {
    industry: "Internet & Software",
    headquarters: "Hangzhou, China",
    website: "https://www.alibabagroup.com",
    founded: 1999,
    business: "E-commerce marketplaces, cloud computing, logistics and local consumer services.",
    employees: 200_000,
    netMargin: 0.12,
    grossMargin: 0.38,
    taxRate: 0.2,
    equityRatio: 0.58,
    cashRatio: 0.25,
    capexRatio: 0.06,
    products: [
      ["China Commerce", 0.46],
      ["International Commerce", 0.12],
      ["Cloud Intelligence", 0.13],
      [
        "Local Services",
        0.08,
      ],
      ["Logistics", 0.12],
      ["Others", 0.09],
    ],
    regions: [["Mainland China", 0.84], ["International", 0.16]],
    auditor: "PricewaterhouseCoopers",
    moat: "Wide",
  },
  "US.AAPL": {
    industry: "Consumer Electronics",
    headquarters: "Cupertino, California, United States",
    website: "https://www.apple.com",
    founded: 1976,
    business: "Smartphones, personal computers, tablets, wearables and accessories, and the services around them.",
    employees: 164_000,
    netMargin: 0.25,
    grossMargin: 0.46,
    taxRate: 0.16,
    equityRatio: 0.18,
    cashRatio: 0.2,
    capexRatio: 0.03,
    products: [["iPhone", 0.51], ["Services", 0.24], ["Mac", 0.08], ["iPad", 0.07], [
      "Wearables, Home and Accessories",
      0.1,
    ]],
    regions: [["Americas", 0.43], ["Europe", 0.26], ["Greater China", 0.17], ["Japan", 0.07], [
      "Rest of Asia Pacific",
      0.07,
    ]],
    auditor: "Ernst & Young",
    moat: "Wide",
  },
  "US.TSLA": {
    industry: "Automobiles",
    headquarters: "Austin, Texas, United States",
    website: "https://www.tesla.com",
    founded: 2003,
    business: "Electric vehicles, energy generation and storage systems, and related services.",
    employees: 125_000,
    netMargin: 0.07,
    grossMargin: 0.18,
    taxRate: 0.2,
    equityRatio: 0.6,
    cashRatio: 0.3,
    capexRatio: 0.1,
    products: [["Automotive", 0.79], ["Energy Generation and Storage", 0.11], ["Services and Other", 0.1]],
    regions: [["United States", 0.48], ["China", 0.22], ["Other", 0.3]],
    auditor: "PricewaterhouseCoopers",
    moat: "Narrow",
  },
  "US.NVDA": {
    industry: "Semiconductors",
    headquarters: "Santa Clara, California, United States",
    website: "https://www.nvidia.com",
    founded: 1993,
    business: "Accelerated computing platforms: data-center GPUs and systems, gaming graphics, automotive chips.",
    employees: 36_000,
    netMargin: 0.5,
    grossMargin: 0.74,
    taxRate: 0.13,
    equityRatio: 0.7,
    cashRatio: 0.35,
    capexRatio: 0.02,
    products: [["Data Center", 0.88], ["Gaming", 0.07], ["Professional Visualization", 0.02], ["Automotive", 0.02], [
      "OEM and Other",
      0.01,
    ]],
    regions: [["United States", 0.47], ["Singapore", 0.18], ["Taiwan", 0.16], ["China", 0.13], ["Other", 0.06]],
    auditor: "PricewaterhouseCoopers",
    moat: "Wide",
  },
  "SH.600519": {
    industry: "Liquor",
    headquarters: "Renhuai, Guizhou, China",
    website: "https://www.moutaichina.com",
    founded: 1999,
    business: "Production and sale of Moutai baijiu and series liquors.",
    employees: 34_000,
    netMargin: 0.5,
    grossMargin: 0.91,
    taxRate: 0.25,
    equityRatio: 0.8,
    cashRatio: 0.45,
    capexRatio: 0.02,
    products: [["Moutai Liquor", 0.86], ["Series Liquor", 0.14]],
    regions: [["Domestic", 0.97], ["Overseas", 0.03]],
    auditor: "Tianzhi International CPA",
    moat: "Wide",
  },
  "SZ.000001": {
    industry: "Banks",
    headquarters: "Shenzhen, China",
    website: "https://bank.pingan.com",
    founded: 1987,
    business: "Retail, corporate and interbank banking services.",
    employees: 40_000,
    netMargin: 0.3,
    grossMargin: 0.62,
    taxRate: 0.2,
    equityRatio: 0.08,
    cashRatio: 0.05,
    capexRatio: 0.02,
    products: [["Retail Banking", 0.52], ["Corporate Banking", 0.35], ["Treasury", 0.13]],
    regions: [["Southern China", 0.42], ["Eastern China", 0.25], ["Northern China", 0.18], ["Western China", 0.15]],
    auditor: "Ernst & Young Hua Ming",
    moat: "Narrow",
  },
  "HK.00005": {
    industry: "Banks",
    headquarters: "London, United Kingdom",
    website: "https://www.hsbc.com",
    founded: 1865,
    business: "Wealth and personal banking, commercial banking, and global banking and markets.",
    employees: 211_000,
    netMargin: 0.32,
    grossMargin: 0.65,
    taxRate: 0.19,
    equityRatio: 0.07,
    cashRatio: 0.1,
    capexRatio: 0.02,
    products: [["Wealth and Personal Banking", 0.41], ["Commercial Banking", 0.33], [
      "Global Banking and Markets",
      0.26,
    ]],
    regions: [["Hong Kong", 0.38], ["United Kingdom", 0.3], ["Mainland China", 0.09], ["Other", 0.23]],
    auditor: "PricewaterhouseCoopers",
    moat: "Narrow",
  },
  "HK.00941": {
    industry: "Telecommunications",
    headquarters: "Hong Kong, China",
    website: "https://www.chinamobileltd.com",
    founded: 1997,
    business: "Mobile and fixed-line telecommunications, broadband and digital transformation services.",
    employees: 450_000,
    netMargin: 0.13,
    grossMargin: 0.3,
    taxRate: 0.24,
    equityRatio: 0.63,
    cashRatio: 0.12,
    capexRatio: 0.17,
    products: [["Mobile Services", 0.5], ["Wireline Broadband", 0.14], ["Business Services", 0.2], [
      "Sales of Products",
      0.16,
    ]],
    regions: [["Mainland China", 0.99], ["Hong Kong and Overseas", 0.01]],
    auditor: "KPMG",
    moat: "Narrow",
  },
  "HK.03690": {
    industry: "Internet & Software",
    headquarters: "Beijing, China",
    website: "https://www.meituan.com",
    founded: 2010,
    business: "Food delivery, in-store and travel services, and new retail initiatives.",
    employees: 110_000,
    netMargin: 0.1,
    grossMargin: 0.38,
    taxRate: 0.15,
    equityRatio: 0.5,
    cashRatio: 0.3,
    capexRatio: 0.03,
    products: [["Core Local Commerce", 0.73], ["New Initiatives", 0.27]],
    regions: [["Mainland China", 0.97], ["Overseas", 0.03]],
    auditor: "PricewaterhouseCoopers",
    moat: "Narrow",
  },
  "HK.01810": {
    industry: "Consumer Electronics",
    headquarters: "Beijing, China",
    website: "https://www.mi.com",
    founded: 2010,
    business: "Smartphones, smart home devices, internet services and smart electric vehicles.",
    employees: 43_000,
    netMargin: 0.07,
    grossMargin: 0.21,
    taxRate: 0.18,
    equityRatio: 0.5,
    cashRatio: 0.2,
    capexRatio: 0.05,
    products: [["Smartphones", 0.47], ["IoT and Lifestyle Products", 0.25], ["Internet Services", 0.09], [
      "Smart EV and Other",
      0.19,
    ]],
    regions: [["Mainland China", 0.58], ["Overseas", 0.42]],
    auditor: "PricewaterhouseCoopers",
    moat: "None",
  },
};

/** Fallback proportions for a stock without an entry. */
const DEFAULT_FACTS: CompanyFacts = {
  industry: "Diversified",
  headquarters: "Hong Kong, China",
  website: "https://www.futunn.com",
  founded: 2000,
  business: "A diversified company.",
  employees: 10_000,
  netMargin: 0.1,
  grossMargin: 0.35,
  taxRate: 0.2,
  equityRatio: 0.5,
  cashRatio: 0.15,
  capexRatio: 0.05,
  products: [["Core Business", 0.8], ["Other", 0.2]],
  regions: [["Home Market", 0.8], ["Overseas", 0.2]],
  auditor: "KPMG",
  moat: "None",
};

/** The facts of a simulated company. */
export function factsOf(security: SimSecurity): CompanyFacts {
  return FACTS[security.symbol] ?? DEFAULT_FACTS;
}
