import { startLedgerConsumer } from "./ledgerConsumer.js";
import { startPartnerFeed } from "./partnerFeed.js";

await Promise.all([startLedgerConsumer(), startPartnerFeed()]);
