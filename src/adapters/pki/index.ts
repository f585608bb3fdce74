export { C2PA_CLAIM_SIGNING_EKU, X509CertificateAuthority } from './x509-certificate-authority.js'
