# syntax=docker/dockerfile:1
# mcs-fhir: build with the Maven wrapper on a JDK, run on a JRE as a non-root user with a fixed uid.
# The base images are build arguments so that a site without Docker Hub can build on its own JDK/JRE images
# (scripts/container-smoke.sh makes them from Debian packages); the defaults are the public Temurin images.
ARG JDK_IMAGE=eclipse-temurin:17-jdk
ARG JRE_IMAGE=eclipse-temurin:17-jre

FROM ${JDK_IMAGE} AS build
WORKDIR /src
# Every module's POM: the parent lists them all, and Maven refuses a reactor with a missing child.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY terminology/ terminology/
COPY profiles/ profiles/
COPY test-support/ test-support/
COPY fhir-server/ fhir-server/
COPY integration-tests/pom.xml integration-tests/pom.xml
COPY benchmarks/pom.xml benchmarks/pom.xml
# The Maven repository is a cache mount: a rebuild after a code change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl fhir-server -am package

FROM ${JRE_IMAGE}
# uid/gid 10001: fixed, so a host directory or volume can be prepared for it (chown 10001:10001).
ARG MCS_UID=10001
RUN groupadd --system --gid "$MCS_UID" mcs \
    && useradd --system --uid "$MCS_UID" --gid mcs --home-dir /app --shell /usr/sbin/nologin mcs \
    && mkdir -p /app /data && chown mcs:mcs /data \
    && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/fhir-server/target/mcs-fhir-server.jar /app/mcs-fhir-server.jar
USER mcs:mcs
# Listen on all interfaces inside the container (so MCS_SECURITY_ISSUER is required); the port is configurable.
# JAVA_OPTS repeats mcs.jvm.args of the parent POM (README, "Performance").
ENV SERVER_PORT=8080 \
    SERVER_ADDRESS=0.0.0.0 \
    MCS_DATA_DIR=/data \
    JAVA_OPTS="-XX:+UseSerialGC -Xms128m -Xmx768m -Xmn128m -Xss512k -XX:MaxMetaspaceSize=320m"
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" || exit 1
# exec: java is PID 1 and receives SIGTERM from `docker stop`, so Spring's graceful shutdown runs.
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/mcs-fhir-server.jar"]
