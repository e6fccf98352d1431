# Dashboard Studio: build with cargo-leptos, run the single binary with its site.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends binaryen libssl-dev pkg-config nodejs npm && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown
RUN cargo install --locked cargo-leptos --version 0.3.10
WORKDIR /src
COPY . .
RUN cargo install wasm-bindgen-cli --version "$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)"
RUN cd codemirror && npm ci --no-audit --no-fund && node build.mjs
RUN cargo leptos build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl3 git && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/dashstudio /usr/local/bin/dashstudio
COPY --from=build /src/target/site /srv/dashstudio/site
ENV LEPTOS_SITE_ROOT=/srv/dashstudio/site \
    DASHSTUDIO_DATA_DIR=/var/lib/dashstudio \
    DASHSTUDIO_LISTEN=0.0.0.0:3000
VOLUME /var/lib/dashstudio
EXPOSE 3000
ENTRYPOINT ["dashstudio"]
CMD ["serve"]
