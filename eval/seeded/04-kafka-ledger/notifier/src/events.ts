export interface AccountClosed {
  account_id: string;
  closed_at: string;
  reason: string;
  final_balance_minor: number;
}

export interface BalanceLow {
  account_id: string;
  balance_minor: number;
  threshold_minor: number;
}

/** Shape of the consent events published by our open-banking aggregator. */
export interface ConsentRevoked {
  consentId: string;
  institution: string;
  revokedAt: string;
}
