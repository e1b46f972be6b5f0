# Thin wrappers over the npm scripts, for people and tools that expect make.
.PHONY: build start check stop test typecheck emulator

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

typecheck:
	npm run typecheck

emulator:
	npm run emulator
