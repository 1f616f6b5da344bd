import type { EvidenceKind } from '@gatehouse/contracts';

/**
 * What each kind of record proves, mapped to the SOC 2 Trust Services Criteria (2017, revised
 * points of focus 2022) it serves as evidence for. Every kind of the evidence-record contract
 * must have an entry (the type makes a missing kind a compile error).
 */
export const SOC2_EVIDENCE: Readonly<Record<EvidenceKind, { evidence: string; criteria: string }>> = {
  session_opened: {
    evidence:
      'Authentication: a verified OIDC identity (subject, groups, issuer, token id) opened a session to a named target, with client address and TLS version.',
    criteria: 'CC6.1 logical access security; CC6.2 access tied to an authorized identity',
  },
  auth_failed: {
    evidence: 'Authentication failures: a rejected token or credential, with the reason and client address.',
    criteria: 'CC6.1; CC7.2 monitoring for anomalies and attempted unauthorized access',
  },
  decision: {
    evidence:
      'Authorization decisions: the effect (allow, deny, review), the rule and the policy version that decided each statement or command.',
    criteria: 'CC6.1 and CC6.3 least privilege, role-based access enforced per action',
  },
  statement: {
    evidence:
      'Activity record: each statement or command as normalized text with its fingerprint (never literal values), attributed to the identity.',
    criteria: 'CC7.2 system monitoring; CC4.1 evaluation of controls',
  },
  result: {
    evidence:
      'Results and masking: rows, bytes, duration and outcome of each statement, and how many values of each personal-data kind were masked before leaving (counts only).',
    criteria:
      'C1.1 confidential information protected; CC6.7 restricted transmission of data; P4.1 personal information used as intended',
  },
  approval_requested: {
    evidence:
      'Change approval requested: a high-risk operation was held, with its classification and the approver groups and quorum it needs.',
    criteria: 'CC8.1 changes authorized before implementation',
  },
  approval_decided: {
    evidence:
      'Change approval decided: who approved or rejected, and when (approvers never decide their own requests).',
    criteria: 'CC8.1 change authorization; CC5.1 segregation of duties',
  },
  recording_chunk: {
    evidence:
      'Session recordings: the digest of each recorded chunk of a session, so a stored recording can be proven complete and unaltered.',
    criteria: 'CC7.2 monitoring; CC7.3 evaluation of security events',
  },
  session_closed: {
    evidence:
      'Session completeness: the session ended, with its final chain hash and record count, so no record of the session can be removed unnoticed.',
    criteria: 'CC7.2; integrity of the audit trail (PI1.5 stored data complete and accurate)',
  },
};

/** What the README describes. */
export interface ReadmeFacts {
  origin: string;
  from: string;
  to: string;
  start: number;
  end: number;
  checkpointSize: number;
  verifierKey: string;
}

/** The bundle's README: what it contains, how to verify it, and what each record kind evidences. */
export function evidenceReadme(facts: ReadmeFacts): string {
  const kinds = Object.entries(SOC2_EVIDENCE)
    .map(([kind, { evidence, criteria }]) => `- ${kind}: ${evidence}\n  SOC 2: ${criteria}.`)
    .join('\n');
  const entries =
    facts.end > facts.start ? `entries ${facts.start} to ${facts.end - 1}` : 'no entries (none in the range)';
  return `Gatehouse evidence export

Log: ${facts.origin}
Requested time range: ${facts.from} (inclusive) to ${facts.to} (exclusive)
Contents: ${entries} of the ledger, each with an RFC 9162 inclusion proof to the signed
checkpoint of size ${facts.checkpointSize} in the header line.

Format: JSON Lines. Lines are header, readme, an optional fence before the range, one line per
entry, an optional fence after the range, and an end line with the entry count. "canonical" is
the record exactly as hashed (RFC 8785 JSON; its UTF-8 bytes are the Merkle leaf, hashed as
SHA-256(0x00 || bytes)). Fences are the log entries just outside the range, proven like entries;
their times lie outside the requested range, which shows nothing in the range was cut off.
Entry times are when the edge observed the event; an entry between the first and last in-range
entries is included even if its own time falls just outside.

Verify offline with the ledger's verifier key, obtained independently (not from this file):
  gatehouse ledger verify --bundle <file> --key '<verifier key>'
The verifier checks the checkpoint signature, every leaf hash and inclusion proof, the fences,
every session's hash chain (session.prev is the SHA-256 of the session's previous record), and
names the first bad index if anything was changed, removed, inserted or reordered.
The ledger's published verifier key is: ${facts.verifierKey}
Also check that the requested time range above is the one you asked for.

What each record kind evidences (SOC 2 Trust Services Criteria):
${kinds}

Every record names the verified identity (subject, groups, issuer, token id), the target and the
time; records never contain unmasked personal data.
`;
}
