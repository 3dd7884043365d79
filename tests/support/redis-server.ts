/** The redis-server launcher lives beside the server's own tests; the integration tests and benchmarks reuse it. */
export { freeLocalPort, monitorRedis, redisCommandStats, type RedisServer, startRedisServer } from '../../server/src/testing/redis-server.js';
