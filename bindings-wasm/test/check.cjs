// In the user project: `require` the package by name (CommonJS) and run a webhook through it.
const w = require("wagroups");
const body = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"group_status_update","value":{"groups":[{"group_id":"G","type":"group_suspend","timestamp":"7"}]}}]}]}';
const events = w.parseWebhook(body).events;
let threw = null;
try {
  w.parseWebhook("{}");
} catch (e) {
  threw = { isWebhookError: e instanceof w.WebhookError, isError: e instanceof Error, code: e.code };
}
process.stdout.write(JSON.stringify({ type: events[0].type, timestamp: events[0].timestamp, threw }));
