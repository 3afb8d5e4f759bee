# callbridge on Node 24: the TypeScript sources run directly (Node strips the types).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts: the pinned "node" devDependency is not installed here; the image has Node 24.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY src ./src
COPY config ./config
# Call records and caller memory (STORE_DATA_DIR); mount a volume here.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
CMD ["node", "src/main.ts"]
