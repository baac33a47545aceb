/**
 * HK code changes and temporary counters of the simulated market (OpenD
 * reports these for HK only): a GEM stock moving to the Main Board, and the
 * parallel-trading counters of a split, a consolidation, a board-lot change
 * and a rights issue. Dates are HK-local; a temporary counter trades from
 * its effective date to its end date.
 *
 * @module
 */

/** `Qot_GetCodeChange.CodeChangeType` names. */
export type CodeChangeKind =
  | "GEM_TO_MAIN"
  | "UNPAID"
  | "CHANGE_LOT"
  | "SPLIT"
  | "JOINT"
  | "JOINT_SPLIT"
  | "SPLIT_JOINT"
  | "OTHER";

/** One code change or temporary code. */
export interface SimCodeChange {
  kind: CodeChangeKind;
  /** The main code ("HK.02488"); for GEM to Main Board, the new Main Board code. */
  symbol: string;
  /** The GEM code, or the temporary counter. */
  related: string;
  publicDate: string;
  effectiveDate: string;
  /** When the temporary counter stops trading; none for GEM to Main Board. */
  endDate?: string;
}

/** The records, by public date. */
export const CODE_CHANGES: readonly SimCodeChange[] = [
  {
    kind: "GEM_TO_MAIN",
    symbol: "HK.02488",
    related: "HK.08488",
    publicDate: "2026-09-01",
    effectiveDate: "2026-09-15",
  },
  {
    kind: "SPLIT",
    symbol: "HK.01357",
    related: "HK.02977",
    publicDate: "2026-10-05",
    effectiveDate: "2026-10-20",
    endDate: "2026-11-10",
  },
  {
    kind: "JOINT",
    symbol: "HK.00493",
    related: "HK.02965",
    publicDate: "2026-11-02",
    effectiveDate: "2026-11-18",
    endDate: "2026-12-09",
  },
  {
    kind: "CHANGE_LOT",
    symbol: "HK.01833",
    related: "HK.02979",
    publicDate: "2026-11-16",
    effectiveDate: "2026-12-01",
    endDate: "2026-12-22",
  },
  {
    kind: "UNPAID",
    symbol: "HK.00576",
    related: "HK.02963",
    publicDate: "2026-12-01",
    effectiveDate: "2026-12-10",
    endDate: "2026-12-17",
  },
];
