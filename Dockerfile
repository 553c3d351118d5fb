# schoolgate: multi-stage build (Maven, then a JRE runtime), run as a non-root user.
#
#   docker build -t schoolgate .
#   docker run -d --name schoolgate --network host \
#     -v /etc/schoolgate:/etc/schoolgate:ro \
#     -v /srv/schoolgate/blocklists:/opt/schoolgate/blocklists \
#     -v /srv/schoolgate/data:/opt/schoolgate/data \
#     -v /srv/schoolgate/logs:/opt/schoolgate/logs \
#     schoolgate --config /etc/schoolgate/schoolgate.yaml
#
# On the gateway use host networking (--network host): the firewall's REDIRECT rules deliver
# pupils' port 80/443 connections to the host's own addresses, and SO_ORIGINAL_DST (the address
# a device dialled) is only readable in the host's network namespace. With host networking the
# listen addresses in schoolgate.yaml are the gateway's own. Ports below 1024 are not needed:
# the firewall redirects 80/443 to 3129/3130.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so a source change does not download the world again.
COPY pom.xml .
COPY proxy/pom.xml proxy/pom.xml
COPY tests/pom.xml tests/pom.xml
COPY tests/jmh/pom.xml tests/jmh/pom.xml
RUN mvn -B -q -pl proxy -am dependency:go-offline
COPY proxy proxy
RUN mvn -B -q -pl proxy -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system schoolgate && useradd --system --gid schoolgate --home-dir /opt/schoolgate --shell /usr/sbin/nologin schoolgate
WORKDIR /opt/schoolgate
COPY --from=build /src/proxy/target/schoolgate.jar /opt/schoolgate/schoolgate.jar
COPY config/ /opt/schoolgate/config/
COPY blocklists/ /opt/schoolgate/blocklists/
RUN mkdir -p /opt/schoolgate/data /opt/schoolgate/logs \
 && chown -R schoolgate:schoolgate /opt/schoolgate/data /opt/schoolgate/logs /opt/schoolgate/blocklists
VOLUME ["/opt/schoolgate/config", "/opt/schoolgate/blocklists", "/opt/schoolgate/data", "/opt/schoolgate/logs"]
USER schoolgate
# Heap sized for the shipped lists plus headroom for large category lists; see README "Memory".
ENV JAVA_OPTS="-XX:+UseSerialGC -XX:PretenureSizeThreshold=1m -Xms256m -Xmx256m -Xmn24m -XX:MaxDirectMemorySize=128m -Xss512k -XX:+ExitOnOutOfMemoryError"
EXPOSE 3128 3129 3130 8088
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /opt/schoolgate/schoolgate.jar \"$@\"", "--"]
CMD ["--config", "/opt/schoolgate/config/schoolgate.yaml"]
