# syntax=docker/dockerfile:1
# mockd as a container: a build stage compiles the TypeScript (npm run build → dist/) and drops the dev dependencies;
# the runtime stage holds only package.json, the production node_modules, bin/ and dist/, and runs as the `node` user.
#
#   docker build -t mockd .
#   docker run --rm -p 4280:4280 -p 4290:4290 -v mockd-data:/data mockd
#   docker run --rm -p 4280:4280 -p 4290:4290 -v ./mocks.yaml:/config/mocks.yaml:ro \
#     -e MOCKD_CONFIG=/config/mocks.yaml mockd

FROM node:24 AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts (the dashboard `prepare` build among them) need the sources, which are not copied yet; the build
# below runs the dashboard build itself.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production \
    MOCKD_DATA_DIR=/data \
    MOCKD_PORT=4280 \
    MOCKD_ADMIN_PORT=4290
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# /data holds mocks.json (contract §2 persistence); /config is where a read-only mocks file is mounted.
RUN mkdir -p /data /config && chown node:node /data
VOLUME /data
USER node
EXPOSE 4280 4290
# node:24-slim has no curl; Node's global fetch probes the mock port's health route (contract §1).
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.MOCKD_PORT + '/__mockd/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Every listener binds all interfaces inside the container; the admin API's Host check accepts the configured host.
ENTRYPOINT ["node", "/app/bin/mockd.js"]
CMD ["start", "--host", "0.0.0.0"]
