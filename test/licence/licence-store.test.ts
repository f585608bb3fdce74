import { describeOnEveryStore } from '../support/each-store.js'
import { describeLicenceStore } from './licence-store.contract.js'

describeOnEveryStore(describeLicenceStore)
