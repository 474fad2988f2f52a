# syntax=docker/dockerfile:1
# Multi-stage build, one build for two images:
#   build    every dev dependency; builds the web app, and compiles the server to JavaScript
#            (apps/server/build.mjs: esbuild bundles src/ and @confab/shared into dist/)
#   runtime  the server (target of compose's `server`): the compiled dist/ run by plain node with
#            production dependencies only (no TypeScript, no tsx), plus the built web app so a lone
#            container still serves it; runs as the non-root `node` user
#   web      nginx (target of compose's `nginx`): the built web app and deploy/nginx/*
# The build writes a .gz and a .br beside each text file (apps/web/vite.config.ts): the server sends
# either, nginx the .gz (gzip_static; stock nginx has no brotli module). See docs/operations.md.
FROM node:20-bookworm-slim AS base
RUN npm install -g pnpm@10.34.9
WORKDIR /app

FROM base AS build
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json ./
COPY packages/shared packages/shared
COPY apps/web apps/web
RUN pnpm --filter @confab/web exec vite build
COPY apps/server apps/server
RUN pnpm --filter @confab/server build

FROM base AS runtime
ENV NODE_ENV=production
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
RUN pnpm install --frozen-lockfile --prod --filter "@confab/server..."
# The compiled server only: @confab/shared is bundled into it; its imports resolve from the
# production node_modules above (sharp and @node-rs/argon2 are native and never bundled).
COPY --from=build /app/apps/server/dist apps/server/dist
COPY --from=build /app/apps/web/dist apps/web/dist
WORKDIR /app/apps/server
USER node
EXPOSE 3000
# Liveness only; compose's healthcheck asks /readyz (database and Redis answer) instead.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Source maps: stack traces in the log name the TypeScript files and lines.
CMD ["node", "--enable-source-maps", "dist/index.js"]

# nginx in front of the server replicas: HTTPS on 443 with the certificate mounted at
# /etc/nginx/certs (docker-compose.yml), plain HTTP on 80 redirecting to it. The image's
# nginx.conf includes conf.d/*.conf inside `http`; confab.conf and http-redirect.conf include
# confab-site.conf and confab-redirect.conf relative to /etc/nginx (see their headers). The
# image's entrypoint renders templates/*.template into NGINX_ENVSUBST_OUTPUT_DIR at start-up:
# confab-redirect.conf, with CONFAB_HTTPS_PORT (the host port the redirect names).
FROM nginx:1.27-alpine AS web
ENV NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx
ENV CONFAB_HTTPS_PORT=443
RUN rm -f /etc/nginx/conf.d/default.conf && rm -rf /usr/share/nginx/html/*
COPY deploy/nginx/confab.conf deploy/nginx/http-redirect.conf deploy/nginx/upstream.compose.conf /etc/nginx/conf.d/
COPY deploy/nginx/site.compose.conf /etc/nginx/confab-site.conf
COPY deploy/nginx/redirect.compose.conf.template /etc/nginx/templates/confab-redirect.conf.template
COPY --chmod=755 deploy/nginx/check-certificate.sh /docker-entrypoint.d/15-confab-check-certificate.sh
COPY --from=build /app/apps/web/dist /usr/share/nginx/html
EXPOSE 80 443
# Over HTTPS, as browsers get it; the certificate names the public host, not 127.0.0.1.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s \
  CMD wget -q -O /dev/null --no-check-certificate https://127.0.0.1/index.html || exit 1
