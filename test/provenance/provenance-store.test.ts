import { describeOnEveryStore } from '../support/each-store.js'
import { describeAuthorshipStore } from './provenance-store.contract.js'

describeOnEveryStore(describeAuthorshipStore)
