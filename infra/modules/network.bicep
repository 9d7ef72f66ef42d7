// Virtual network for the deployment. The Functions app joins it through VNet integration, the
// Container Apps environment runs inside it with an internal load balancer (so the inference service
// is reachable only from the network), and private endpoints get their own subnet.

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Virtual network name.')
param name string

@description('Address space of the network; three subnets are carved from its first 1,024 addresses.')
param addressPrefix string = '10.40.0.0/16'

// Flex Consumption VNet integration and workload-profile Container Apps environments both need a
// subnet delegated to Microsoft.App/environments; /24 and /23 leave room to scale out.
var functionsSubnetPrefix = cidrSubnet(addressPrefix, 24, 0)
var privateEndpointsSubnetPrefix = cidrSubnet(addressPrefix, 24, 1)
var containerAppsSubnetPrefix = cidrSubnet(addressPrefix, 23, 1)

resource network 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        name: 'functions'
        properties: {
          addressPrefix: functionsSubnetPrefix
          delegations: [
            {
              name: 'flex-consumption'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: privateEndpointsSubnetPrefix
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
      {
        name: 'container-apps'
        properties: {
          addressPrefix: containerAppsSubnetPrefix
          delegations: [
            {
              name: 'container-apps'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

output id string = network.id
output functionsSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', network.name, 'functions')
output privateEndpointsSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', network.name, 'private-endpoints')
output containerAppsSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', network.name, 'container-apps')
