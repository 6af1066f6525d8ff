# One image per service, all from this file:  docker build --build-arg SERVICE=order-service -t order-service .
# docker-compose.yml builds the five of them.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The five services and the modules they are made of; nothing else of the reactor is built here.
ARG MODULES=order-service,inventory-service,payment-service,shipping-service,notification-service
# 1. The build's description only, then every dependency and plugin it needs: this layer is built again only when a
#    pom changes, not at every change of the code. (Every module's pom: the reactor names them all.) The build of the
#    poms alone has no code to compile and makes empty jars, thrown away; it fetches what the real build uses.
#    (dependency:go-offline cannot: it asks for optional dependencies of the Spring Cloud extension that no BOM names.)
COPY pom.xml ./
COPY contracts/pom.xml contracts/
COPY platform/pom.xml platform/
COPY embedded-postgres/pom.xml embedded-postgres/
COPY order-service/pom.xml order-service/
COPY inventory-service/pom.xml inventory-service/
COPY payment-service/pom.xml payment-service/
COPY shipping-service/pom.xml shipping-service/
COPY notification-service/pom.xml notification-service/
COPY standalone/pom.xml standalone/
COPY benchmarks/pom.xml benchmarks/
COPY system-tests/pom.xml system-tests/
RUN mvn -B -q -pl ${MODULES} -am package -DskipTests -Dspring-boot.repackage.skip=true \
    && mvn -B -q -pl ${MODULES} -am clean
# 2. The sources of the services and of what they depend on, then the services' executable jars.
COPY contracts/src contracts/src
COPY platform/src platform/src
COPY order-service/src order-service/src
COPY inventory-service/src inventory-service/src
COPY payment-service/src payment-service/src
COPY shipping-service/src shipping-service/src
COPY notification-service/src notification-service/src
RUN mvn -B -q -pl ${MODULES} -am package -DskipTests

FROM eclipse-temurin:17-jre AS service
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --no-create-home ordersaga
COPY --from=build /src/${SERVICE}/target/${SERVICE}-exec.jar /app/service.jar
USER ordersaga
# the heap as a share of the container's memory limit (docker-compose.yml sets both, and more options, per service)
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50"
ENTRYPOINT ["java", "-jar", "/app/service.jar"]
