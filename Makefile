# Thin wrappers over the npm scripts, for people and tools that expect make.
.PHONY: build start check stop test bench lint typecheck emulator

build:
	npm run build

start:
	npm start

check:
	npm run check

stop:
	npm stop

test:
	npm test

bench:
	npm run bench

lint:
	npm run lint

typecheck:
	npm run typecheck

emulator:
	npm run emulator

