# syntax=docker/dockerfile:1
# mcs-fhir: build with the Maven wrapper on a JDK, run on a JRE as a non-root user.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY terminology/ terminology/
COPY profiles/ profiles/
COPY fhir-server/ fhir-server/
COPY integration-tests/pom.xml integration-tests/pom.xml
RUN ./mvnw -B -q -DskipTests -pl fhir-server -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system mcs && useradd --system --gid mcs --home-dir /app --shell /usr/sbin/nologin mcs \
    && mkdir -p /app /data && chown mcs:mcs /data \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/fhir-server/target/mcs-fhir-server.jar /app/mcs-fhir-server.jar
USER mcs
# Listen on all interfaces inside the container; the port is configurable.
ENV SERVER_PORT=8080 \
    SERVER_ADDRESS=0.0.0.0 \
    MCS_DATA_DIR=/data \
    JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx768m -Xss512k -XX:MaxMetaspaceSize=320m"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/mcs-fhir-server.jar"]
