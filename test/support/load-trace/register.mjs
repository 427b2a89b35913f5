import { register } from 'node:module';

register(new URL('./hook.mjs', import.meta.url));
