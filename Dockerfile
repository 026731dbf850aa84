# Pelita: one image for every role (pelita start --role all|gateway|worker).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .puppeteerrc.cjs ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY flows ./flows
COPY locales ./locales
COPY content ./content
COPY nlu ./nlu
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=32", "--no-memory-reducer", "bin/pelita.mjs", "start"]
