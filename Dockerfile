# Pricegraph: a multi-stage build. The first stage installs everything and builds the web app and the server
# bundle; the runtime stage holds the bundle, the migrations, the built web app and production dependencies
# only, and runs as the unprivileged `node` user. Data: PostgreSQL via DATABASE_URL (see compose.yaml), or the
# embedded PGlite in the /data volume.
FROM node:20-bookworm-slim AS build
RUN npm install -g pnpm@12
WORKDIR /src
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && pnpm --filter @pricegraph/server deploy --prod /out/server \
 && mkdir -p /out/web \
 && cp -r web/dist /out/web/dist

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    SEED_DEMO=false
WORKDIR /app
COPY --from=build --chown=node:node /out/ /app/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "server/dist/main.mjs"]
