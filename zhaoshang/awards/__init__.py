"""奖励与追回: award catalogue, nominations, review, public notice, decision, payout and clawback (issue 13)."""
