// Validates Adaptive Cards with Microsoft's own library (adaptivecards, as used by Web Chat)
// targeting version 1.5. Reads a JSON list of cards on stdin; prints, per card, the list of
// parse and validation messages (empty: valid). Used by tests/adapters/teams/test_cards_official.py.
"use strict";
const AC = require(__dirname + "/node_modules/adaptivecards/dist/adaptivecards.js");
const fs = require("fs");
const cards = JSON.parse(fs.readFileSync(0, "utf8"));
const out = cards.map((json) => {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(json, ctx);
  const events = [];
  for (let i = 0; i < ctx.eventCount; i++) events.push(ctx.getEventAt(i).message);
  const v = card.validateProperties();
  for (const e of v.validationEvents) events.push(e.message);
  return events;
});
console.log(JSON.stringify(out));
