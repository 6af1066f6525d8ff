# One image per service, all from this file:  docker build --build-arg SERVICE=order-service -t order-service .
# docker-compose.yml builds the five of them.

# Build every module once; the service images below each take their executable jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre AS service
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home ordersaga
COPY --from=build /src/${SERVICE}/target/${SERVICE}-exec.jar /app/service.jar
USER ordersaga
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
