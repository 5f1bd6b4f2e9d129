/**
 * Everything that needs node:http, https or crypto, behind one dynamic import (the HTTP
 * listener, the network sources, the webhook subscriber): none of it is on the console's path to
 * its first frame unless configured, and one import point keeps the bundle to one extra chunk.
 */
export { startHttpServer } from '../http/server.js';
export { StreamServer } from '../http/streams.js';
export { addPrometheusRoute } from '../http/prometheus-route.js';
export { httpStatus } from '../http/describe.js';
export { createStalwartSource } from '../sources/stalwart/index.js';
export { createWebhookIntake } from '../sources/webhook-intake/index.js';
export { WebhookSubscriber } from '../sinks/webhook/subscriber.js';
